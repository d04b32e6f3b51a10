package dev.tanrenai.datasets.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.store.Database;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's run lock across processes: a live holder refuses, a dead or silent one is taken over. */
class RunLockTest {

    @TempDir
    Path dir;

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("store.db");
    }

    @Test
    void aSecondProcessIsRefusedNamingTheFirstAndTakesOverOnceItIsKilled() throws Exception {
        Database db = Database.open(url());
        Process first = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHolderProcess.class.getName(),
                        url(),
                        RunLock.PIPELINE,
                        "run curate")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("HELD "), "the first process took the lock: " + line);
            String firstId = line.substring("HELD ".length());

            RunLockHeldException refused = assertThrows(
                    RunLockHeldException.class, () -> RunLock.acquire(db, RunLock.PIPELINE, "run extract"));
            assertEquals(first.pid(), refused.holder().pid());
            assertEquals(firstId, refused.holder().holderId());
            assertEquals("run curate", refused.holder().command());
            assertEquals(Processes.hostName(), refused.holder().host());
            String message = refused.getMessage();
            assertTrue(
                    message.contains("'run curate'")
                            && message.contains("pid " + first.pid())
                            && message.contains("host " + Processes.hostName())
                            && message.contains(firstId)
                            && message.contains("cannot start 'run extract'"),
                    message);

            first.destroyForcibly(); // SIGKILL: the lock row stays behind
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            try (RunLock taken = RunLock.acquire(db, RunLock.PIPELINE, "run extract")) {
                RunLock.Recovered recovered = taken.recovered().orElseThrow();
                assertEquals(firstId, recovered.previous().holderId());
                assertTrue(recovered.why().contains("has ended"), recovered.why());
            }
        } finally {
            first.destroyForcibly();
        }
    }

    @Test
    void aSilentHolderOnAnotherHostIsStaleOnlyOnceItsHeartbeatIsOld() throws Exception {
        Database db = Database.open(url());
        RunLock.acquire(db, "warmup", "create the table").close();
        Instant now = Instant.now();
        insert(db, "elsewhere-fresh", now.minusSeconds(5));
        insert(db, "elsewhere-old", now.minusSeconds(600));

        RunLockHeldException fresh =
                assertThrows(RunLockHeldException.class, () -> RunLock.acquire(db, "elsewhere-fresh", "run curate"));
        assertEquals("far-away-host", fresh.holder().host());
        try (RunLock taken = RunLock.acquire(db, "elsewhere-old", "run curate")) {
            RunLock.Recovered recovered = taken.recovered().orElseThrow();
            assertEquals("far-away-host", recovered.previous().host());
            assertTrue(recovered.why().contains("heartbeat is 600 s old"), recovered.why());
        }
    }

    @Test
    void theHeartbeatKeepsALiveHolderAndALostLockStopsItsRun() throws Exception {
        Database db = Database.open(url());
        RunLock.Settings quick = new RunLock.Settings(Duration.ofMillis(100), Duration.ofMillis(400));
        try (RunLock held = RunLock.acquire(db, "beat", "run curate", quick)) {
            Thread.sleep(1_000); // longer than staleAfter: only the heartbeat keeps the lock
            assertThrows(RunLockHeldException.class, () -> RunLock.acquire(db, "beat", "second", quick));
            held.ensureHeld();
            // another run takes the lock over (as if this one had stalled): this one must stop
            db.write("steal", c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE run_locks SET holder = 'thief' WHERE name = ?")) {
                    p.setString(1, "beat");
                    return p.executeUpdate();
                }
            });
            RunLockLostException lost = assertThrows(RunLockLostException.class, held::ensureHeld);
            assertTrue(lost.getMessage().contains("taken over by"), lost.getMessage());
        }
        try (RunLock released = RunLock.acquire(db, "free", "run curate", quick)) {
            released.ensureHeld();
        }
        RunLock.acquire(db, "free", "again", quick).close(); // close released it
    }

    private static void insert(Database db, String name, Instant heartbeat) {
        db.write("insert a foreign holder", c -> {
            insertRow(c, name, heartbeat);
            return null;
        });
    }

    private static void insertRow(Connection c, String name, Instant heartbeat) throws java.sql.SQLException {
        LockTable.insert(
                c,
                new LockHolder(
                        name,
                        "run-foreign",
                        "run curate",
                        4242,
                        "far-away-host",
                        heartbeat.minusSeconds(60),
                        heartbeat));
    }
}
