package dev.tanrenai.pipelines.loop;

import dev.tanrenai.datasets.lock.LockHolder;
import dev.tanrenai.datasets.lock.RunLock;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pipeline runs list | show ID | resume ID | cancel ID}: the nightly runs' records. */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "The nightly loop's run records: list, show, resume a failed run, cancel a running one.",
        subcommands = {
            RunsCommand.ListRuns.class,
            RunsCommand.Show.class,
            RunsCommand.Resume.class,
            RunsCommand.Cancel.class
        })
public final class RunsCommand {

    static RunRecords records(TanrenaiConfig config) {
        return new RunRecords(Stores.database(config));
    }

    /** A run as JSON (stages with their state, timings, hashes, counts and output). */
    public static Map<String, Object> json(RunRecord r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", r.id());
        j.put("trigger", r.trigger().label());
        j.put("resumes", r.resumes());
        j.put("state", r.state().label());
        j.put("reason", r.reason());
        j.put("started", r.started().toString());
        j.put("ended", r.ended() == null ? null : r.ended().toString());
        j.put("errorStage", r.errorStage() == null ? null : r.errorStage().label());
        j.put("error", r.error());
        j.put("log", r.logFile().toString());
        j.put("report", r.reportFile().toString());
        List<Map<String, Object>> stages = new ArrayList<>();
        for (StageRecord s : r.stages()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", s.stage().label());
            m.put("state", s.state());
            m.put("started", s.started() == null ? null : s.started().toString());
            m.put("ended", s.ended() == null ? null : s.ended().toString());
            m.put("seconds", s.seconds());
            m.put("attempts", s.attempts());
            m.put("key", s.key());
            m.put("inputHash", s.inputHash());
            m.put("outputHash", s.outputHash());
            m.put("counts", s.counts());
            m.put("output", s.output());
            m.put("error", s.error());
            stages.add(m);
        }
        j.put("stages", stages);
        return j;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The newest nightly runs first.")
    static final class ListRuns implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--limit", paramLabel = "N", description = "At most N runs (default: ${DEFAULT-VALUE}).")
        int limit = 50;

        @Override
        public Integer call() {
            Output out = common.output();
            List<RunRecord> runs = records(common.config()).list(limit);
            if (out.json()) {
                out.result(runs.stream().map(RunsCommand::json).toList());
                return 0;
            }
            if (runs.isEmpty()) {
                out.line("no nightly runs yet (pipeline run nightly)");
            }
            for (RunRecord r : runs) {
                out.line(String.format(
                        Locale.ROOT,
                        "%-30s %-9s %-11s %s",
                        r.id(),
                        r.trigger().label(),
                        r.state().label(),
                        r.state() == RunState.FAILED
                                ? r.errorStage().label() + ": " + r.error()
                                : r.reason() == null ? "" : r.reason()));
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One run with its stages.")
    static final class Show implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(paramLabel = "ID", description = "The run's id.")
        String id;

        @Override
        public Integer call() {
            Output out = common.output();
            RunRecord r = records(common.config()).get(id);
            if (out.json()) {
                out.result(json(r));
                return 0;
            }
            out.line(r.id() + "  " + r.state().label() + "  (" + r.trigger().label()
                    + (r.resumes() == null ? "" : ", resumes " + r.resumes()) + ")");
            if (r.reason() != null) {
                out.line("  " + r.reason());
            }
            if (r.error() != null) {
                out.line("  error in " + r.errorStage().label() + ": " + r.error());
            }
            for (StageRecord s : r.stages()) {
                out.line(String.format(
                        Locale.ROOT,
                        "  %-9s %-10s %7s s  attempts %d  %s%s",
                        s.stage().label(),
                        s.state(),
                        s.seconds() == null ? "-" : String.format(Locale.ROOT, "%.1f", s.seconds()),
                        s.attempts(),
                        s.counts().isEmpty() ? "" : s.counts() + " ",
                        s.error() == null ? "" : "error: " + s.error()));
            }
            out.line("  log     " + r.logFile());
            out.line("  report  " + r.reportFile());
            return 0;
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = {
                "Run the loop again for a failed, cancelled or interrupted run: a new run (trigger resume) that",
                "reuses every stage that finished and continues at the one that failed. Exit codes as run nightly."
            })
    static final class Resume implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The run to resume.")
        String id;

        @Override
        public Integer call() throws IOException {
            RunRecords records = records(common.config());
            RunRecord r = records.get(id);
            RunState state =
                    r.state() == RunState.RUNNING && !alive(common.config(), r.id()) ? RunState.INTERRUPTED : r.state();
            if (!state.resumable()) {
                throw new IllegalArgumentException("run " + id + " is " + state.label()
                        + ": only a failed, cancelled or interrupted run can be resumed");
            }
            return RunNightlyCommand.execute(
                    common.config(),
                    common.output(),
                    spec.commandLine().getErr(),
                    new NightlyRun.Request(Trigger.RESUME, id));
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Ask a running run to stop (it stops before its next stage, or within seconds in training).")
    static final class Cancel implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Parameters(paramLabel = "ID", description = "The run to cancel.")
        String id;

        @Override
        public Integer call() {
            Output out = common.output();
            RunRecords records = records(common.config());
            RunRecord r = records.get(id);
            if (r.state() != RunState.RUNNING) {
                throw new IllegalArgumentException(
                        "run " + id + " is not running (it is " + r.state().label() + ")");
            }
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("id", id);
            if (alive(common.config(), id)) {
                records.requestCancel(id);
                out.line("asked run " + id + " to stop");
                j.put("state", "cancel requested");
            } else {
                records.finish(id, RunState.CANCELLED, "cancelled after its process had died", null, null);
                out.line("run " + id + " had no live process; recorded as cancelled");
                j.put("state", RunState.CANCELLED.label());
            }
            out.result(j);
            return 0;
        }
    }

    /** Whether the loop's lock is held by run {@code id} (its process is alive). */
    static boolean alive(TanrenaiConfig config, String id) {
        return RunLock.liveHolder(Stores.database(config), RunLock.PIPELINE)
                .map(LockHolder::command)
                .filter(c -> c.equals("nightly " + id))
                .isPresent();
    }
}
