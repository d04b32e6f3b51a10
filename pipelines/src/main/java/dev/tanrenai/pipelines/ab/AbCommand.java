package dev.tanrenai.pipelines.ab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.experiment.AbReport;
import dev.tanrenai.experiment.Experiment;
import dev.tanrenai.experiment.ExperimentConfig;
import dev.tanrenai.experiment.ExperimentException;
import dev.tanrenai.experiment.Experiments;
import dev.tanrenai.experiment.Samples;
import dev.tanrenai.experiment.StatusJson;
import dev.tanrenai.experiment.Verdict;
import dev.tanrenai.experiment.VerdictJson;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline ab status | decide | report | start}: the online A/B experiment (README: Online A/B decisions). */
@Command(
        name = "ab",
        mixinStandardHelpOptions = true,
        description = "The online A/B experiment of the challenger against the champion: where it stands, decide"
                + " now, an HTML report, or start one by hand (a nightly run in ab mode starts it).",
        subcommands = {AbCommand.Status.class, AbCommand.Decide.class, AbCommand.Report.class, AbCommand.Start.class})
public final class AbCommand {

    static Experiments experiments(TanrenaiConfig config) {
        ConversationStore store = Stores.conversations(config);
        return new Experiments(store, Stores.registry(config));
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "The latest experiment and where it stands now.")
    static final class Status implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Output out = common.output();
            ObjectNode s = StatusJson.status(experiments(common.config()), Instant.now());
            if (out.json()) {
                out.result(s);
                return 0;
            }
            JsonNode e = s.get("experiment");
            if (e.isNull()) {
                out.line(
                        "no A/B experiment yet (a nightly run with nightly.promotion: ab starts one; or pipeline ab start)");
                return 0;
            }
            out.line("experiment " + e.get("id").asText() + ": "
                    + e.get("status").asText() + " — challenger "
                    + e.get("challenger").asText() + " vs champion "
                    + e.get("champion").asText() + " for "
                    + Math.round(e.get("share").asDouble() * 100) + "% of users, started "
                    + e.get("startedAt").asText());
            if (!e.get("reason").isNull()) {
                out.line("  " + e.get("reason").asText());
            }
            JsonNode c = s.get("current");
            if (!c.isNull()) {
                out.line("  now: " + c.get("decision").asText() + " — "
                        + c.get("reason").asText());
                for (String arm : new String[] {"champion", "challenger"}) {
                    JsonNode a = c.get(arm);
                    out.line(String.format(
                            java.util.Locale.ROOT,
                            "  %-10s users %d (rated %d), rating rate %s, errors %d, regenerations %d, p95 %d ms",
                            arm,
                            a.get("users").asLong(),
                            a.get("ratedUsers").asLong(),
                            a.get("ratingRate").isNull()
                                    ? "-"
                                    : String.format(
                                            java.util.Locale.ROOT,
                                            "%.3f",
                                            a.get("ratingRate").asDouble()),
                            a.get("errors").asLong(),
                            a.get("regenerations").asLong(),
                            a.get("latencyP95Ms").asLong()));
                }
            }
            out.line("  " + s.get("decisions").asInt() + " recorded evaluation(s)");
            return 0;
        }
    }

    @Command(
            name = "decide",
            mixinStandardHelpOptions = true,
            description = "Evaluate the running experiment now, record it and carry out its decision"
                    + " (promote, roll back, no difference, or keep collecting).")
    static final class Decide implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Output out = common.output();
            var applied = experiments(common.config()).decide(Instant.now(), "pipeline ab decide");
            if (applied.isEmpty()) {
                out.line("no running A/B experiment");
                out.result(Map.of("decision", "none"));
                return 0;
            }
            Verdict v = applied.get().verdict();
            ObjectNode r = VerdictJson.JSON_NODES.objectNode();
            r.set("experiment", StatusJson.experiment(applied.get().experiment()));
            r.set("verdict", v == null ? null : VerdictJson.verdict(v));
            r.put("action", applied.get().action());
            out.line(applied.get().experiment().id() + ": "
                    + (v == null ? "superseded" : v.decision().wireName() + " — " + v.reason()));
            out.line("  " + applied.get().action());
            out.result(r);
            return 0;
        }
    }

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description = "Write a self-contained HTML report of the latest experiment (metrics over time with"
                    + " bands, the test's boundary, sample conversations of both arms).")
    static final class Report implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(
                names = "--out",
                paramLabel = "FILE",
                description = "Where to write it (default: <home>/reports/<experiment>.html).")
        Path file;

        @Override
        public Integer call() throws IOException {
            Output out = common.output();
            TanrenaiConfig config = common.config();
            Experiments ex = experiments(config);
            Experiment e =
                    ex.store().latest().orElseThrow(() -> new ExperimentException("no A/B experiment to report on"));
            Verdict current = e.running() ? ex.evaluate(e, Instant.now()) : null;
            String html = AbReport.html(
                    e, current, ex.store().decisions(e.id()), Samples.pairs(Stores.conversations(config), e, 5));
            Path target = file != null
                    ? file
                    : config.home().root().resolve("reports").resolve(e.id() + ".html");
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.writeString(target, html);
            out.line("report of " + e.id() + " written to " + target);
            out.result(Map.of("experiment", e.id(), "report", target.toString()));
            return 0;
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start an experiment of the 'challenger' alias's model against the champion by hand"
                    + " (a nightly run in ab mode does this itself).")
    static final class Start implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(
                names = "--share",
                paramLabel = "S",
                description = "Challenger's share of users (default: ${DEFAULT-VALUE}).")
        double share = 0.5;

        @Option(
                names = "--min-users",
                paramLabel = "N",
                description = "Rated users each arm needs before deciding (default: the documented default).")
        Integer minUsers;

        @Option(
                names = "--max-days",
                paramLabel = "D",
                description = "Days before it ends as no difference (default: the documented default).")
        Integer maxDays;

        @Option(
                names = "--evaluate-every",
                paramLabel = "S",
                description = "Seconds between the serving process's evaluations (default: the documented default).")
        Integer evaluateEvery;

        @Override
        public Integer call() {
            Output out = common.output();
            TanrenaiConfig config = common.config();
            String challenger = Stores.registry(config)
                    .alias("challenger")
                    .orElseThrow(() -> new ExperimentException(
                            "the 'challenger' alias points at nothing: pipeline models alias challenger <model> first"))
                    .id();
            ExperimentConfig rules = ExperimentConfig.defaults();
            if (minUsers != null) {
                rules = rules.withMinUsersPerArm(minUsers);
            }
            if (maxDays != null) {
                rules = rules.withMaxDuration(Duration.ofDays(maxDays));
            }
            if (evaluateEvery != null) {
                rules = rules.withEvaluateEvery(Duration.ofSeconds(evaluateEvery));
            }
            Experiment e = experiments(config).start(challenger, share, rules, Instant.now(), "pipeline ab start");
            out.line("experiment " + e.id() + " started: " + challenger + " against champion " + e.championId()
                    + " for " + Math.round(share * 100) + "% of users");
            out.result(StatusJson.experiment(e));
            return 0;
        }
    }
}
