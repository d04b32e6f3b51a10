package dev.tanrenai.schedules;

import static dev.tanrenai.schedules.SchedulerHarness.awaitHistory;
import static dev.tanrenai.schedules.SchedulerHarness.fast;
import static dev.tanrenai.schedules.SchedulerHarness.finished;
import static dev.tanrenai.schedules.SchedulerHarness.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.lock.RunLockHeldException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running scheduler: fires never overlap, a crashing child is recorded and firing goes on. */
class SchedulerServiceTest {

    @TempDir
    Path home;

    @Test
    void aTriggerEveryTwoSecondsWithAChildTakingThreeNeverOverlaps() throws Exception {
        Path spans = home.resolve("spans");
        String child = "echo S $(date +%s%N) >> " + spans + "; sleep 3; echo E $(date +%s%N) >> " + spans;
        try (SchedulerService s = start(home, fast(Duration.ofSeconds(10), Duration.ofSeconds(10)), child)) {
            s.schedules().add(new ScheduleSpec("often", "0/2 * * * * ?", ZoneId.of("UTC"), MisfirePolicy.SKIP));
            awaitHistory(s.schedules().history(), "often", Duration.ofSeconds(20), f -> finished(f) >= 2);
        }
        // the children's own record of when they ran: S, E, S, E, ... each start after the previous end
        List<String> lines = Files.readAllLines(spans);
        assertTrue(lines.size() >= 4, lines.toString());
        long previousEnd = 0;
        for (int i = 0; i < lines.size(); i += 2) {
            String[] start = lines.get(i).split(" ");
            String[] end = lines.get(i + 1).split(" ");
            assertEquals("S", start[0], lines.toString());
            assertEquals("E", end[0], lines.toString());
            assertTrue(Long.parseLong(start[1]) >= previousEnd, "overlap: " + lines);
            previousEnd = Long.parseLong(end[1]);
        }
    }

    @Test
    void aCrashingOrKilledChildIsRecordedAndTheSchedulerKeepsFiring() throws Exception {
        Path n = home.resolve("n");
        // first fire aborts (SIGABRT, like a native crash), the second is kill -9'd, the rest succeed
        String child = "n=$(cat " + n + " 2>/dev/null || echo 0); echo $((n+1)) > " + n + "; echo fire $n;"
                + " case $n in 0) kill -ABRT $$;; 1) kill -9 $$;; *) exit 0;; esac";
        try (SchedulerService s = start(home, fast(Duration.ofSeconds(10), Duration.ofSeconds(10)), child)) {
            s.schedules().add(new ScheduleSpec("crashy", "* * * * * ?", ZoneId.of("UTC"), MisfirePolicy.SKIP));
            List<FireRecord> fires =
                    awaitHistory(s.schedules().history(), "crashy", Duration.ofSeconds(20), f -> finished(f) >= 3);
            FireRecord abort = fires.get(0);
            assertEquals(FireOutcome.FAILED, abort.outcome(), abort.toString());
            assertEquals(134, abort.exitCode(), abort.toString());
            assertTrue(abort.detail().contains("SIGABRT"), abort.detail());
            assertEquals(
                    FireOutcome.FAILED, fires.get(1).outcome(), fires.get(1).toString());
            assertEquals(137, fires.get(1).exitCode(), fires.get(1).toString());
            assertEquals(
                    FireOutcome.SUCCEEDED, fires.get(2).outcome(), fires.get(2).toString());
            assertEquals(0, fires.get(2).exitCode());
            assertNotNull(fires.get(2).duration());
            String log = Files.readString(fires.get(2).logPath());
            assertTrue(log.contains("fire 2"), log);
            assertTrue(log.startsWith("# schedule crashy, fire "), log);
        }
    }

    @Test
    void aSecondSchedulerOnTheSameHomeIsRefusedNamingTheFirst() {
        try (SchedulerService first = start(home, fast(Duration.ofSeconds(10), Duration.ZERO), "true")) {
            assertNotNull(first.instanceId());
            RunLockHeldException refused = assertThrows(
                    RunLockHeldException.class, () -> start(home, fast(Duration.ofSeconds(10), Duration.ZERO), "true"));
            assertTrue(refused.getMessage().contains("pipeline scheduler"), refused.getMessage());
        }
        // released on close: a new one starts
        start(home, fast(Duration.ofSeconds(10), Duration.ZERO), "true").close();
    }

    @Test
    void stoppingWhileAChildRunsWaitsTheGraceThenRecordsItDetached() throws Exception {
        Path done = home.resolve("done");
        SchedulerService s =
                start(home, fast(Duration.ofSeconds(10), Duration.ofMillis(500)), "sleep 3; touch " + done);
        s.schedules().add(new ScheduleSpec("long", "* * * * * ?", ZoneId.of("UTC"), MisfirePolicy.SKIP));
        FireHistory history = s.schedules().history();
        awaitHistory(history, "long", Duration.ofSeconds(15), f -> !f.isEmpty());
        s.close();
        List<FireRecord> fires = history.list("long");
        assertEquals(1, fires.size(), fires.toString());
        assertEquals(FireOutcome.DETACHED, fires.get(0).outcome(), fires.toString());
        assertTrue(
                fires.get(0).detail().contains("left to finish on its own"),
                fires.get(0).detail());
        assertFalse(Files.exists(done), "closed before the child ended");
        // the child was left running, not killed: it finishes on its own
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(done) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(done), "the detached child finished");
    }

    @Test
    void aFireLeftRunningByAKilledSchedulerIsMarkedDetachedByTheNextOne() {
        dev.tanrenai.datasets.home.TanrenaiHome h = new dev.tanrenai.datasets.home.TanrenaiHome(home);
        JobStoreDatabase db = JobStoreDatabase.forStore(h, h.defaultJdbcUrl());
        db.ensureSchema();
        FireHistory history = new FireHistory(db);
        // what a scheduler killed with -9 mid-fire leaves behind
        history.started(
                "n",
                java.time.Instant.parse("2026-12-01T03:00:00Z"),
                java.time.Instant.parse("2026-12-01T03:00:01Z"),
                home.resolve("x.log"),
                false,
                "dead-instance");
        start(home, fast(Duration.ofSeconds(10), Duration.ZERO), "true").close();
        List<FireRecord> fires = history.list("n");
        assertEquals(FireOutcome.DETACHED, fires.get(0).outcome(), fires.toString());
        assertTrue(
                fires.get(0).detail().contains("stopped without recording the end"),
                fires.get(0).detail());
    }
}
