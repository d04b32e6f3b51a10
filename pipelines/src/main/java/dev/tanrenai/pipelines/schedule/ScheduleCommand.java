package dev.tanrenai.pipelines.schedule;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pipeline schedule ...}: the schedules of the nightly run. */
@Command(
        name = "schedule",
        mixinStandardHelpOptions = true,
        description = {
            "Add, list, pause, resume and remove the cron schedules of the nightly run, and show each one's fires.",
            "They fire while `pipeline scheduler` (or `pipeline serve --scheduler`) runs; changes made here are",
            "seen by a running scheduler within seconds."
        },
        subcommands = {
            ScheduleAddCommand.class,
            ScheduleListCommand.class,
            ScheduleStateCommands.Pause.class,
            ScheduleStateCommands.Resume.class,
            ScheduleStateCommands.Remove.class,
            ScheduleHistoryCommand.class
        })
public final class ScheduleCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(), "a schedule command is required (see pipeline schedule --help)");
    }
}
