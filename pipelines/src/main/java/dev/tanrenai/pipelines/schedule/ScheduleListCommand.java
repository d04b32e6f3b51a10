package dev.tanrenai.pipelines.schedule;

import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.schedules.ScheduleInfo;
import dev.tanrenai.schedules.Schedules;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pipeline schedule list}: every schedule with its state and next fire times. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the schedules with their next fire times.")
public final class ScheduleListCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        List<ScheduleInfo> all;
        try (Schedules schedules = ScheduleStores.open(common.config())) {
            all = schedules.list();
        }
        Output out = common.output();
        if (all.isEmpty()) {
            out.line("no schedules (pipeline schedule add NAME --cron EXPR)");
        }
        for (ScheduleInfo i : all) {
            out.line(i.spec().name() + "  '" + i.spec().cron() + "' "
                    + i.spec().zone().getId() + "  misfire "
                    + i.spec().misfire().wireName() + "  " + i.state() + "  next "
                    + i.nextFires().stream().map(Object::toString).toList()
                    + (i.lastFire() == null ? "" : "\n    last: " + ScheduleStores.line(i.lastFire())));
        }
        out.result(all.stream().map(ScheduleStores::json).toList());
        return 0;
    }
}
