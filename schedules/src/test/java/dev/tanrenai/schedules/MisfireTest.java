package dev.tanrenai.schedules;

import static dev.tanrenai.schedules.SchedulerHarness.awaitHistory;
import static dev.tanrenai.schedules.SchedulerHarness.fast;
import static dev.tanrenai.schedules.SchedulerHarness.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downtime: a scheduler stopped for longer than the misfire threshold, then a new instance on the same
 * home. Policy skip records the missed fires as skipped and runs none of them; run-once records them
 * as missed and runs once at restart.
 */
class MisfireTest {

    private static final Duration THRESHOLD = Duration.ofSeconds(1);

    @TempDir
    Path home;

    /** One fire, then a downtime of 4.5 s (two or three fires of a 2 s cron, each later than 1 s). */
    private Instant[] downtime(MisfirePolicy policy) throws Exception {
        Instant stopped;
        // before the downtime a generous threshold: a busy machine's late fire is no misfire there
        try (SchedulerService s = start(home, fast(Duration.ofSeconds(10), Duration.ofSeconds(5)), "true")) {
            s.schedules().add(new ScheduleSpec("nightly", "0/2 * * * * ?", ZoneId.of("UTC"), policy));
            awaitHistory(
                    s.schedules().history(), "nightly", Duration.ofSeconds(15), f -> SchedulerHarness.finished(f) >= 1);
        }
        stopped = Instant.now();
        Thread.sleep(4500);
        return new Instant[] {stopped, Instant.now()};
    }

    @Test
    void skipRecordsTheMissedFiresAsSkippedAndRunsNoneOfThem() throws Exception {
        Instant[] down = downtime(MisfirePolicy.SKIP);
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.tanrenai.datasets.home.TanrenaiHome h = new dev.tanrenai.datasets.home.TanrenaiHome(home);
        try (SchedulerService s = SchedulerService.start(
                h,
                h.defaultJdbcUrl(),
                SchedulerHarness.sh("true"),
                fast(THRESHOLD, Duration.ofSeconds(5)),
                (schedule, at, outcome, detail) -> told.add(schedule + " " + at + " " + outcome + " " + detail))) {
            List<FireRecord> fires =
                    awaitHistory(s.schedules().history(), "nightly", Duration.ofSeconds(15), f -> f.stream()
                            .anyMatch(r -> r.outcome() == FireOutcome.SUCCEEDED
                                    && r.scheduledAt().isAfter(down[1])));
            List<FireRecord> inDowntime = fires.stream()
                    .filter(f ->
                            f.scheduledAt().isAfter(down[0]) && f.scheduledAt().isBefore(down[1].minus(THRESHOLD)))
                    .toList();
            assertTrue(inDowntime.size() >= 1, fires.toString());
            for (FireRecord f : inDowntime) {
                assertEquals(FireOutcome.SKIPPED, f.outcome(), fires.toString());
                assertTrue(f.misfired());
                assertTrue(f.detail().contains("policy skip"), f.detail());
                // the listener (the nightly loop records a skipped run) is told of each one
                assertTrue(told.contains("nightly " + f.scheduledAt() + " SKIPPED " + f.detail()), told + " vs " + f);
            }
        }
    }

    @Test
    void runOnceRecordsTheMissedFiresAndRunsOnceAtRestart() throws Exception {
        Instant[] down = downtime(MisfirePolicy.RUN_ONCE);
        try (SchedulerService s = start(home, fast(THRESHOLD, Duration.ofSeconds(5)), "true")) {
            List<FireRecord> fires =
                    awaitHistory(s.schedules().history(), "nightly", Duration.ofSeconds(15), f -> f.stream()
                            .anyMatch(r -> r.outcome() == FireOutcome.SUCCEEDED
                                    && r.startedAt().isAfter(down[1])));
            List<FireRecord> inDowntime = fires.stream()
                    .filter(f ->
                            f.scheduledAt().isAfter(down[0]) && f.scheduledAt().isBefore(down[1].minus(THRESHOLD)))
                    .toList();
            assertFalse(inDowntime.isEmpty(), fires.toString());
            for (FireRecord f : inDowntime) {
                assertEquals(FireOutcome.MISSED, f.outcome(), "recorded, not run one by one: " + fires);
                assertTrue(f.detail().contains("policy run-once"), f.detail());
            }
            // the first run after the restart is the one made-up run
            FireRecord first = fires.stream()
                    .filter(f -> f.startedAt() != null && f.startedAt().isAfter(down[1]))
                    .findFirst()
                    .orElseThrow();
            assertTrue(first.misfired(), fires.toString());
            assertTrue(first.scheduledAt().isAfter(down[1]), "run at restart, not at a missed time: " + fires);
        }
    }
}
