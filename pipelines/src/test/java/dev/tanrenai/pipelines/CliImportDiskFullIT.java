package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline import} onto a really full file system: a 1 MiB tmpfs the home lives on. It says
 * "no space left on device" and where, and the store stays intact and usable once there is room.
 * Mounting needs root (CI runs as root); elsewhere the test is skipped, and {@code CliImportTest}
 * covers the same SQLite path with the store's page limit.
 */
class CliImportDiskFullIT {

    @TempDir
    Path dir;

    @Test
    void importOntoAFullDiskSaysSoAndKeepsTheStore() throws Exception {
        Path disk = Files.createDirectories(dir.resolve("disk"));
        assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString()) == 0,
                "mounting a tmpfs needs root");
        try {
            Path home = disk.resolve("home");
            Path db = home.resolve("store.db");
            Path small = StoreFullness.conversations(dir.resolve("small.jsonl"), "small-", 3, 10);
            CliRun.ok("import", small.toString(), "--format", "openai", "--home", home.toString());

            Path big = StoreFullness.conversations(dir.resolve("big.jsonl"), "big-", 2000, 2000);
            CliRun full = CliRun.run("import", big.toString(), "--format", "openai", "--home", home.toString());
            assertEquals(1, full.exitCode(), full.out() + full.err());
            assertTrue(full.err().contains("no space left on device"), full.err());
            assertTrue(full.err().contains(db.toString()), "names where: " + full.err());
            assertFalse(full.err().contains("cannot rollback"), full.err());

            assertEquals("ok", StoreFullness.integrity(db));
            long stored = StoreFullness.number(db, "SELECT COUNT(*) FROM conversations");
            assertTrue(stored >= 3 && stored < 2003, "the earlier conversations and whole batches only: " + stored);
            assertEquals(3, stored % 256, "whole batches of 256 only: " + stored);
            assertEquals(0, run("mount", "-o", "remount,size=16m", disk.toString()), "room again");
            CliRun.ok("import", big.toString(), "--format", "openai", "--home", home.toString());
            assertEquals(2003, StoreFullness.number(db, "SELECT COUNT(*) FROM conversations"));
            assertEquals("ok", StoreFullness.integrity(db));
        } finally {
            run("umount", "-l", disk.toString());
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + ": " + out);
        return p.exitValue();
    }
}
