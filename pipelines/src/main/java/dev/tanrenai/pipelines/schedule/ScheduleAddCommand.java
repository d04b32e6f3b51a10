package dev.tanrenai.pipelines.schedule;

import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.schedules.MisfirePolicy;
import dev.tanrenai.schedules.ScheduleInfo;
import dev.tanrenai.schedules.ScheduleSpec;
import dev.tanrenai.schedules.Schedules;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline schedule add NAME --cron EXPR [--zone ZONE] [--misfire skip|run-once]}. */
@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        description =
                "Add a schedule of the nightly run (`pipeline run nightly --trigger schedule` in a child process).")
public final class ScheduleAddCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "NAME", description = "Letters, digits, '.', '_' or '-'.")
    String name;

    @Option(
            names = "--cron",
            required = true,
            paramLabel = "EXPR",
            description = "Quartz cron: seconds minutes hours day-of-month month day-of-week, e.g. '0 0 3 * * ?' (03:00"
                    + " daily).")
    String cron;

    @Option(
            names = "--zone",
            paramLabel = "ZONE",
            description = "Time zone the cron's times are read in, e.g. Europe/Berlin (default: ${DEFAULT-VALUE}).")
    String zone = "UTC";

    @Option(
            names = "--misfire",
            paramLabel = "POLICY",
            description = "Fires missed for longer than the misfire threshold (downtime): skip (recorded as skipped) or"
                    + " run-once (one run at restart) (default: ${DEFAULT-VALUE}).")
    String misfire = "skip";

    @Override
    public Integer call() {
        ScheduleSpec spec = new ScheduleSpec(name, cron, ScheduleSpec.zone(zone), MisfirePolicy.parse(misfire));
        ScheduleInfo info;
        try (Schedules schedules = ScheduleStores.open(common.config())) {
            schedules.add(spec);
            info = schedules.get(name);
        }
        Output out = common.output();
        out.line("added schedule " + name + ": '" + cron + "' in " + spec.zone().getId() + ", misfire "
                + spec.misfire().wireName() + "; next fires "
                + info.nextFires().stream().map(Object::toString).toList()
                + " (fires while `pipeline scheduler` or `pipeline serve --scheduler` runs)");
        out.result(ScheduleStores.json(info));
        return 0;
    }
}
