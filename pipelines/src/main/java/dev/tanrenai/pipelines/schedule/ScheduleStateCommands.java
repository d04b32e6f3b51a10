package dev.tanrenai.pipelines.schedule;

import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.schedules.Schedules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pipeline schedule pause|resume|remove NAME}. */
public final class ScheduleStateCommands {
    private ScheduleStateCommands() {}

    private abstract static class Change implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(index = "0", paramLabel = "NAME", description = "The schedule.")
        String name;

        abstract void apply(Schedules schedules);

        abstract String done();

        @Override
        public Integer call() {
            Map<String, Object> result = new LinkedHashMap<>();
            try (Schedules schedules = ScheduleStores.open(common.config())) {
                apply(schedules);
                result.put("name", name);
                result.put("done", done());
                if (!done().equals("removed")) {
                    result.put("schedule", ScheduleStores.json(schedules.get(name)));
                }
            }
            Output out = common.output();
            out.line(done() + " schedule " + name);
            out.result(result);
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop a schedule firing until resumed.")
    public static final class Pause extends Change {
        @Override
        void apply(Schedules schedules) {
            schedules.pause(name);
        }

        @Override
        String done() {
            return "paused";
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Resume a paused schedule; fires missed while paused follow its misfire policy.")
    public static final class Resume extends Change {
        @Override
        void apply(Schedules schedules) {
            schedules.resume(name);
        }

        @Override
        String done() {
            return "resumed";
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a schedule (its history stays).")
    public static final class Remove extends Change {
        @Override
        void apply(Schedules schedules) {
            schedules.remove(name);
        }

        @Override
        String done() {
            return "removed";
        }
    }
}
