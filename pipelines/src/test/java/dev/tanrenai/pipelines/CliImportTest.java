package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipeline import} and {@code store stats} through the CLI, on a real SQLite store. */
class CliImportTest {

    @TempDir
    Path dir;

    @Test
    void importReportsBadLinesAndKeepsGoodOnes() throws Exception {
        String home = dir.resolve("home").toString();
        Path file = dir.resolve("chats.jsonl");
        Files.write(
                file,
                List.of(
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}]}",
                        "not json",
                        "{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"bye\"}]}"));
        Path rejects = dir.resolve("rejects.jsonl");

        JsonNode report = CliRun.ok(
                        "import",
                        file.toString(),
                        "--format",
                        "openai",
                        "--home",
                        home,
                        "--rejects",
                        rejects.toString(),
                        "--json")
                .json();
        assertEquals(4, report.at("/linesRead").asLong());
        assertEquals(2, report.at("/imported").asLong());
        assertEquals(2, report.at("/rejected").asLong());
        List<String> rejected = Files.readAllLines(rejects);
        assertEquals(2, rejected.size());
        assertTrue(rejected.get(0).contains("\"line\":2"), rejected.get(0));
        assertTrue(rejected.get(1).contains("unknown role 'wizard'"), rejected.get(1));

        String text = CliRun.ok("import", file.toString(), "--format", "openai", "--home", home)
                .out();
        assertTrue(text.contains("4 lines read, 2 imported (0 new, 0 extended, 2 already stored), 2 rejected"), text);
        assertTrue(text.contains("rejects"), "the default rejects file is named: " + text);

        JsonNode stats = CliRun.ok("store", "stats", "--home", home, "--json").json();
        assertEquals(2, stats.at("/conversations").asLong());
        assertEquals(3, stats.at("/messages").asLong());
        assertEquals(
                2, stats.at("/conversationsBySource/import:openai:chats.jsonl").asLong());
    }

    @Test
    void badArgumentsGiveClearErrors() {
        String home = dir.resolve("home").toString();
        CliRun missing =
                CliRun.run("import", dir.resolve("nope.jsonl").toString(), "--format", "openai", "--home", home);
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no such file"), missing.err());

        CliRun format = CliRun.run("import", "x.jsonl", "--format", "csv", "--home", home);
        assertEquals(1, format.exitCode());
        assertTrue(format.err().contains("unknown format 'csv' (expected openai, sharegpt or alpaca)"), format.err());

        CliRun usage = CliRun.run("import");
        assertEquals(2, usage.exitCode());

        CliRun badConfig = CliRun.run("store", "stats", "--home", home, "--store-url", "postgres://x");
        assertEquals(1, badConfig.exitCode());
        assertTrue(badConfig.err().contains("store.url"), badConfig.err());
    }
    /**
     * SQLite answers a full disk with SQLITE_FULL and rolls the transaction back itself; the store's
     * {@code max_page_count} limit takes the very same path (CliImportDiskFullIT fills a real tmpfs).
     */
    @Test
    void aFullStoreSaysNoSpaceLeftAndWhereAndStaysIntact() throws Exception {
        Path home = dir.resolve("home");
        Path db = home.resolve("store.db");
        Path small = StoreFullness.conversations(dir.resolve("small.jsonl"), "small-", 3, 10);
        CliRun.ok("import", small.toString(), "--format", "openai", "--home", home.toString());
        long pages = StoreFullness.number(db, "PRAGMA page_count");

        Path big = StoreFullness.conversations(dir.resolve("big.jsonl"), "big-", 600, 2000);
        CliRun full = CliRun.run(
                "import",
                big.toString(),
                "--format",
                "openai",
                "--home",
                home.toString(),
                "--store-url",
                "jdbc:sqlite:" + db + "?max_page_count=" + (pages + 20));
        assertEquals(1, full.exitCode(), full.err());
        assertTrue(full.err().contains("no space left on device"), full.err());
        assertTrue(full.err().contains(db.toString()), "names where: " + full.err());
        assertFalse(full.err().contains("cannot rollback"), full.err());

        assertEquals("ok", StoreFullness.integrity(db));
        assertEquals(3, StoreFullness.number(db, "SELECT COUNT(*) FROM conversations"), "nothing lost, nothing half");
        JsonNode again = CliRun.ok("import", big.toString(), "--format", "openai", "--home", home.toString(), "--json")
                .json();
        assertEquals(600, again.at("/imported").asLong(), "with room again, the import completes");
        assertEquals(603, StoreFullness.number(db, "SELECT COUNT(*) FROM conversations"));
    }
}
