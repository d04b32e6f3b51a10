package dev.tanrenai.schedules;

import dev.tanrenai.datasets.home.TanrenaiHome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** Starting schedulers on a temporary home and waiting for their history, for the tests. */
final class SchedulerHarness {
    private SchedulerHarness() {}

    /** Short timings so the tests take seconds: idle wait 1 s (the Quartz minimum). */
    static SchedulerSettings fast(Duration misfireThreshold, Duration grace) {
        return SchedulerSettings.DEFAULTS
                .withMisfireThreshold(misfireThreshold)
                .withIdleWait(Duration.ofSeconds(1))
                .withShutdownGrace(grace);
    }

    static SchedulerService start(Path home, SchedulerSettings settings, String shellScript) {
        TanrenaiHome h = new TanrenaiHome(home);
        return SchedulerService.start(h, h.defaultJdbcUrl(), sh(shellScript), settings);
    }

    static FireCommand sh(String script) {
        return new FireCommand(List.of("/bin/sh", "-c", script));
    }

    /** Polls the history of {@code schedule} until {@code done} holds; fails after {@code timeout}. */
    static List<FireRecord> awaitHistory(
            FireHistory history, String schedule, Duration timeout, Predicate<List<FireRecord>> done)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<FireRecord> fires = history.list(schedule);
            if (done.test(fires)) {
                return fires;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("history of " + schedule + " did not get there in " + timeout + ": " + fires);
            }
            Thread.sleep(100);
        }
    }

    static long finished(List<FireRecord> fires) {
        return fires.stream()
                .filter(f -> f.outcome() == FireOutcome.SUCCEEDED || f.outcome() == FireOutcome.FAILED)
                .count();
    }
}
