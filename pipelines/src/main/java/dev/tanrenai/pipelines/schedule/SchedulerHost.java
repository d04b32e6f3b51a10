package dev.tanrenai.pipelines.schedule;

import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.loop.NightlyRun;
import dev.tanrenai.schedules.FireCommand;
import dev.tanrenai.schedules.SchedulerService;
import dev.tanrenai.schedules.SchedulerSettings;
import java.util.List;

/** Starts the scheduler of a home, for {@code pipeline scheduler} and {@code pipeline serve --scheduler}. */
public final class SchedulerHost {
    private SchedulerHost() {}

    /**
     * Starts firing the home's schedules.
     *
     * @param fireCommand the child's command line, or empty for the nightly run ({@link FireCommand#nightly})
     */
    public static SchedulerService start(TanrenaiConfig config, SchedulerSettings settings, List<String> fireCommand) {
        config.home().initialize();
        FireCommand command =
                fireCommand == null || fireCommand.isEmpty() ? FireCommand.nightly() : new FireCommand(fireCommand);
        return SchedulerService.start(
                config.home(), config.storeUrl(), command, settings, (schedule, scheduledAt, outcome, detail) -> {
                    try {
                        NightlyRun.recordNotRun(
                                config,
                                schedule,
                                scheduledAt,
                                outcome.name().toLowerCase(java.util.Locale.ROOT) + " (" + detail + ")");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(
                                "cannot record the skipped fire of " + schedule + " at " + scheduledAt
                                        + " as a nightly run: " + e.getMessage(),
                                e);
                    }
                });
    }

    /**
     * On SIGTERM or Ctrl-C, stops {@code scheduler} gracefully first, then exits the JVM (running the
     * other shutdown hooks). In a shutdown hook the scheduler would stop beside H2's own hook, which
     * closes the job store while the running fire is still being recorded.
     */
    public static void stopFirstOnSignal(SchedulerService scheduler, int exitCode) {
        for (String signal : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
                try {
                    scheduler.close();
                } finally {
                    System.exit(exitCode);
                }
            });
        }
    }
}
