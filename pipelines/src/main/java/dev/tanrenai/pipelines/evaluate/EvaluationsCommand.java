package dev.tanrenai.pipelines.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.evaluate.store.EvaluationStore;
import dev.tanrenai.evaluate.store.StoredEvaluation;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline evaluations list|show}: the evaluations recorded in the store. */
@Command(
        name = "evaluations",
        mixinStandardHelpOptions = true,
        description = "List recorded evaluations, or show one with its checks and report.",
        subcommands = {EvaluationsCommand.List.class, EvaluationsCommand.Show.class})
public final class EvaluationsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "an evaluations command is required (list or show)");
    }

    private static EvaluationStore store(CommonOptions common) {
        Database db = Stores.database(common.config());
        new ModelRegistry(db, common.config().home()); // the evaluations' tables reference the registry's
        return new EvaluationStore(db);
    }

    /** {@code pipeline evaluations list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "The newest evaluations first.")
    public static final class List implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Option(names = "--limit", paramLabel = "N", description = "At most N (default: ${DEFAULT-VALUE}).")
        int limit = 20;

        @Override
        public Integer call() {
            java.util.List<StoredEvaluation> all = store(common).list(limit);
            Output out = common.output();
            out.line("evaluations (" + all.size() + ")");
            for (StoredEvaluation e : all) {
                long failed = e.checks().stream().filter(c -> !c.passed()).count();
                out.line(String.format(
                        Locale.ROOT,
                        "  %-32s %-8s%s %-28s vs %-28s %d/%d checks passed",
                        e.id(),
                        e.decision(),
                        e.forced() ? " forced" : "       ",
                        e.candidateLabel(),
                        e.baselineLabel(),
                        e.checks().size() - failed,
                        e.checks().size()));
            }
            out.result(all.stream().map(Show::summary).toList());
            return 0;
        }
    }

    /** {@code pipeline evaluations show ID}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "One evaluation: decision, checks, report files.")
    public static final class Show implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Mixin
        CommonOptions common;

        @Parameters(paramLabel = "ID", description = "Evaluation id (see pipeline evaluations list).")
        String id;

        @Override
        public Integer call() throws IOException {
            StoredEvaluation e = store(common)
                    .get(id)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "no evaluation '" + id + "' in the store (see pipeline evaluations list)"));
            Output out = common.output();
            out.line("evaluation " + e.id() + " at " + e.createdAt() + ": "
                    + e.decision().toUpperCase(Locale.ROOT) + (e.forced() ? " (FORCED: " + e.forceReason() + ")" : ""));
            out.line("  candidate " + e.candidateLabel() + " vs baseline " + e.baselineLabel());
            out.line("  " + e.summary());
            for (StoredEvaluation.CheckRow c : e.checks()) {
                out.line("  [" + (c.passed() ? "pass" : "FAIL") + "] " + c.name() + ": " + c.reason());
            }
            out.line("  policy sha256 " + e.policySha256() + ", code " + e.codeVersion());
            out.line("  report: " + e.reportDir() + "/report.html");
            out.result(JSON.readTree(e.reportJson()));
            return 0;
        }

        static java.util.Map<String, Object> summary(StoredEvaluation e) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("id", e.id());
            m.put("createdAt", e.createdAt());
            m.put("decision", e.decision());
            m.put("forced", e.forced());
            m.put("forceReason", e.forceReason());
            m.put("candidate", e.candidateLabel());
            m.put("candidateAdapterId", e.candidateAdapterId());
            m.put("baseline", e.baselineLabel());
            m.put("summary", e.summary());
            m.put("checks", e.checks());
            m.put("reportDir", e.reportDir());
            return m;
        }
    }
}
