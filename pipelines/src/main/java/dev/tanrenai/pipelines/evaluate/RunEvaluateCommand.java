package dev.tanrenai.pipelines.evaluate;

import dev.tanrenai.decoder.Precision;
import dev.tanrenai.evaluate.gate.Check;
import dev.tanrenai.evaluate.gate.Decision;
import dev.tanrenai.evaluate.gate.PolicyYaml;
import dev.tanrenai.evaluate.run.EvaluationResult;
import dev.tanrenai.evaluate.run.Evaluator;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.suite.ConversationSuite;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pipeline run evaluate}: candidate vs champion on every suite, and the gate's decision. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Score a candidate adapter against the champion (or the base model when there is none) on the held-out",
            "split, the replay buffer, reference text, task files, probes and user feedback; compare them with",
            "paired bootstrap confidence intervals; decide promote or refuse under the policy, with every check's",
            "numbers and reason. Writes report.json, report.html and summary.md under <home>/evaluations/<id>/ and",
            "records the evaluation in the store. With --promote, a promote decision moves the champion alias."
        })
public final class RunEvaluateCommand implements Callable<Integer> {

    /** Exit status of a refusal with --exit-code. */
    public static final int EXIT_REFUSED = 3;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--candidate",
            paramLabel = "ADAPTER",
            description = "Adapter to evaluate: registry ref or .gguf (default: ${DEFAULT-VALUE}).")
    String candidate = EvaluateOptions.CHALLENGER;

    @Option(
            names = "--baseline",
            paramLabel = "MODEL_OR_ADAPTER",
            description = "What to compare with (default: the champion alias, else the base model).")
    String baseline;

    @Option(
            names = "--dataset",
            paramLabel = "SNAPSHOT",
            description =
                    "Curated snapshot whose held-out split is scored (default: the candidate's training snapshot, else the latest curated).")
    String dataset;

    @Option(
            names = "--general",
            arity = "1..*",
            paramLabel = "FILE",
            description =
                    "Reference text: .txt (paragraphs) or .jsonl with a text field (default: the bundled TinyStories validation head).")
    List<Path> general = new ArrayList<>();

    @Option(
            names = "--general-documents",
            paramLabel = "N",
            description = "Most reference documents scored (default: ${DEFAULT-VALUE}).")
    int generalDocuments = EvaluateOptions.DEFAULT_GENERAL_DOCUMENTS;

    @Option(
            names = "--replay-sample",
            paramLabel = "N",
            description = "Replay-buffer conversations sampled (default: ${DEFAULT-VALUE}).")
    int replaySample = ConversationSuite.DEFAULT_REPLAY_SAMPLE;

    @Option(
            names = "--tasks",
            arity = "1..*",
            paramLabel = "YAML",
            description = "lm-eval task files, or bundled tasks: arc_easy, piqa, hellaswag, lambada.")
    List<String> tasks = new ArrayList<>();

    @Option(
            names = "--probes",
            paramLabel = "YAML",
            description = "Probe file (default: <home>/probes.yaml when it exists).")
    Path probes;

    @Option(
            names = "--policy",
            paramLabel = "YAML",
            description =
                    "Promotion policy (default: <home>/policy.yaml when it exists, else the documented defaults).")
    Path policy;

    @Option(
            names = "--precision",
            paramLabel = "fp32|bf16",
            converter = PrecisionConverter.class,
            completionCandidates = PrecisionChoices.class,
            description = "Matrix products of likelihood scoring: fp32 (as training) or bf16 (about 1.5x faster on"
                    + " large models with AVX512-BF16; log-probabilities differ by a few 1/100 nat; default: fp32).")
    Precision precision = ScoringSettings.DEFAULT_PRECISION;

    /** The names {@code --precision} takes, as written on the command line: {@code fp32}, {@code bf16}. */
    static final class PrecisionChoices implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Precision.values())
                    .map(Precision::key)
                    .iterator();
        }
    }

    /** Parses {@code fp32} / {@code bf16}. */
    static final class PrecisionConverter implements picocli.CommandLine.ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            return Precision.parse(value);
        }
    }

    @Option(names = "--print-policy", description = "Print the default policy with every setting's reason, and exit.")
    boolean printPolicy;

    @Option(names = "--promote", description = "Move the champion alias to the candidate when the gate says promote.")
    boolean promote;

    @Option(names = "--force", description = "Promote whatever the checks say (needs --reason; recorded as forced).")
    boolean force;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why the gate is overridden (with --force).")
    String reason;

    @Option(names = "--exit-code", description = "Exit with status " + EXIT_REFUSED + " when the decision is refuse.")
    boolean exitCode;

    @Override
    public Integer call() throws IOException {
        Output out = common.output();
        if (printPolicy) {
            out.line(PolicyYaml.documented().stripTrailing());
            return 0;
        }
        if (force != (reason != null)) {
            throw new ParameterException(
                    spec.commandLine(),
                    force
                            ? "--force needs --reason TEXT: say why the gate is overridden"
                            : "--reason is only used with --force");
        }
        EvaluateOptions options = new EvaluateOptions(
                candidate,
                baseline,
                dataset,
                general,
                tasks,
                probes,
                policy,
                force ? reason : null,
                generalDocuments,
                replaySample,
                precision);
        Evaluator.Listener progress = (suite, model, what) -> {
            if (!out.json()) {
                System.err.println("  " + suite + ": " + model + " " + what);
            }
        };
        Evaluations.Outcome outcome = dev.tanrenai.pipelines.loop.LoopStages.evaluate(
                        common.config(), options, promote, progress)
                .outcome();
        EvaluationResult r = outcome.result();
        print(out, r);
        if (outcome.promotion() != null) {
            out.line("champion -> " + outcome.promotion().toId() + " (was "
                    + outcome.promotion().fromId() + ")");
        }
        if (outcome.lineage() != null) {
            out.line("lineage  " + outcome.lineage().conversations() + " trained conversations recorded as learned"
                    + (outcome.lineage().alreadyCommitted()
                            ? " (already recorded)"
                            : "; the replay buffer kept " + outcome.lineage().replayKept()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", r.id());
        json.put("decision", r.decision().verdict());
        json.put("forced", r.decision().forced());
        json.put("forceReason", r.decision().forceReason());
        json.put("summary", r.decision().summary());
        json.put("checks", r.decision().checks().stream().map(Check::describe).toList());
        json.put("promoted", outcome.promotion());
        json.put("lineage", outcome.lineage());
        json.put("reportDir", r.reportDir().toString());
        json.put("scoredTokens", r.scoredTokens());
        json.put("cacheHits", r.cacheHits());
        out.result(json);
        return exitCode && !r.decision().promote() ? EXIT_REFUSED : 0;
    }

    /** Prints the decision, every check and where the report is. */
    public static void print(Output out, EvaluationResult r) {
        Decision d = r.decision();
        out.line("evaluation " + r.id() + ": " + d.verdict().toUpperCase(java.util.Locale.ROOT)
                + (d.forced() ? " (FORCED)" : ""));
        out.line("  " + d.summary());
        for (Check c : d.checks()) {
            out.line("  [" + (c.passed() ? "pass" : "FAIL") + "] " + c.name() + ": " + c.reason());
        }
        out.line("  report: " + r.reportDir().resolve("report.html"));
        out.line("  scored " + r.scoredTokens() + " tokens; " + r.cacheHits() + " model runs from the cache");
    }
}
