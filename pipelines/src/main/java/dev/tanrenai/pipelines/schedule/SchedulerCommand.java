package dev.tanrenai.pipelines.schedule;

import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.schedules.SchedulerService;
import dev.tanrenai.schedules.SchedulerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline scheduler}: fires the home's schedules in the foreground until SIGTERM or Ctrl-C. */
@Command(
        name = "scheduler",
        mixinStandardHelpOptions = true,
        description = {
            "Fire the home's schedules (pipeline schedule ...) in the foreground until SIGTERM or Ctrl-C. Each fire",
            "runs `pipeline run nightly --trigger schedule` as a child process with its own log under",
            "<home>/schedules/logs/; its exit is recorded (pipeline schedule history NAME). On SIGTERM no new fire",
            "starts; a running child gets --grace seconds, then is left to finish on its own (recorded as detached)."
        })
public final class SchedulerCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(
            names = "--misfire-threshold",
            paramLabel = "SECONDS",
            description = "A fire later than this (downtime) follows its schedule's misfire policy; less late, it runs"
                    + " at once (default: ${DEFAULT-VALUE}).")
    long misfireThresholdSeconds = SchedulerSettings.DEFAULTS.misfireThreshold().toSeconds();

    @Option(
            names = "--grace",
            paramLabel = "SECONDS",
            description = "On SIGTERM, how long to wait for a running child (default: ${DEFAULT-VALUE}).")
    long graceSeconds = SchedulerSettings.DEFAULTS.shutdownGrace().toSeconds();

    @Option(
            names = "--fire-command",
            hidden = true,
            paramLabel = "ARG",
            description = "One argument of the child's command line instead of the nightly run (repeat; for tests).")
    List<String> fireCommand = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        SchedulerSettings settings = SchedulerSettings.DEFAULTS
                .withMisfireThreshold(Duration.ofSeconds(misfireThresholdSeconds))
                .withShutdownGrace(Duration.ofSeconds(graceSeconds));
        SchedulerService scheduler = SchedulerHost.start(common.config(), settings, fireCommand);
        // SIGTERM and Ctrl-C are handled here rather than in a shutdown hook: a hook would run beside
        // H2's own, which closes the job store while the scheduler still records the running fire.
        CountDownLatch stopped = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> stopped.countDown());
        }
        Output out = common.output();
        int count = scheduler.schedules().list().size();
        out.line("scheduler " + scheduler.instanceId() + " running " + count + " schedule(s) of "
                + common.config().home().root() + " (misfire threshold " + misfireThresholdSeconds
                + " s); stop with SIGTERM or Ctrl-C");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("instance", scheduler.instanceId());
        result.put("schedules", count);
        result.put("misfireThresholdSeconds", misfireThresholdSeconds);
        out.result(result);
        try {
            stopped.await();
        } finally {
            scheduler.close();
        }
        out.line("scheduler " + scheduler.instanceId() + " stopped");
        return 0;
    }
}
