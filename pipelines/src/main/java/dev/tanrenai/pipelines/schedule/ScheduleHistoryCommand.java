package dev.tanrenai.pipelines.schedule;

import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.schedules.FireRecord;
import dev.tanrenai.schedules.Schedules;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pipeline schedule history NAME}: every fire, skipped and misfired ones too. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "Every fire of a schedule: scheduled and start time, outcome, exit code, duration, log file;"
                + " skipped and misfired fires too.")
public final class ScheduleHistoryCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule (also a removed one).")
    String name;

    @Override
    public Integer call() {
        List<FireRecord> fires;
        try (Schedules schedules = ScheduleStores.open(common.config())) {
            fires = schedules.history(name);
        }
        Output out = common.output();
        if (fires.isEmpty()) {
            out.line("no fires of " + name + " yet");
        }
        for (FireRecord f : fires) {
            out.line(ScheduleStores.line(f));
        }
        out.result(fires.stream().map(ScheduleStores::json).toList());
        return 0;
    }
}
