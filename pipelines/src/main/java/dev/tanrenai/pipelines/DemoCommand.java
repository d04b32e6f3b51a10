package dev.tanrenai.pipelines;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.format.ChatFormat;
import dev.tanrenai.datasets.format.ImportReport;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.store.StoreStats;
import dev.tanrenai.evaluate.gate.Check;
import dev.tanrenai.evaluate.run.EvaluationResult;
import dev.tanrenai.evaluate.run.Evaluator;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.suite.ConversationSuite;
import dev.tanrenai.models.registry.BaseModel;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.runtime.Completion;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.LoraAdapterRef;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.evaluate.EvaluateOptions;
import dev.tanrenai.pipelines.evaluate.Evaluations;
import dev.tanrenai.pipelines.evaluate.RunEvaluateCommand;
import dev.tanrenai.pipelines.store.StoreStatsPrinter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code pipeline demo}: the main job on an embedded default — a tiny model and the bundled demo
 * conversations — in {@code ./demo-home} unless {@code --home} says otherwise.
 *
 * <p>Today it prepares the champion, imports the demo conversations, shows the store, snapshots it
 * as an Arrow dataset, trains a LoRA challenger on it, evaluates it against the champion and shows both models' replies. The stages of
 * later issues (extract, curate, evaluate, serve) join it here as they land. Running it twice is safe: nothing is imported or registered twice.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the main job on built-in demo data and a tiny model (in ./demo-home unless --home is given):",
            "make and register a tiny champion model, import the demo conversations, show the store, extract and",
            "curate what is new, train a LoRA challenger on it, evaluate it against the champion, ask both, and",
            "serve one request over the",
            "OpenAI-compatible endpoint (logged back to the store for the next run)."
        })
public final class DemoCommand implements Callable<Integer> {

    static final String DEMO_QUESTION = "How long should I temper a carbon steel chisel?";
    private static final String RESOURCES = "/dev/tanrenai/pipelines/demo/";

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        if (common.homeFlag() == null && System.getenv("TANRENAI_HOME") == null) {
            common.home(Path.of("demo-home"));
        }
        TanrenaiConfig config = common.config();
        config.home().initialize();
        Output out = common.output();
        Map<String, Object> result = new LinkedHashMap<>();
        out.line("Tanrenai demo in " + config.home().root());

        out.line("[1/8] champion model");
        BaseModel champion = ensureChampion(config, out);
        result.put("champion", champion);

        out.line("[2/8] import the demo conversations");
        Path demoDir = config.home().root().resolve("demo");
        Files.createDirectories(demoDir);
        List<ImportReport> imports = new ArrayList<>();
        for (String[] source : new String[][] {{"conversations.jsonl", "openai"}, {"sharegpt.jsonl", "sharegpt"}}) {
            Path file = copyResource(source[0], demoDir);
            ImportReport report = ImportCommand.run(config, file, ChatFormat.fromName(source[1]), null, Instant.now());
            ImportCommand.print(report, file, out);
            imports.add(report);
        }
        result.put("imports", imports);

        out.line("[3/8] the conversation store");
        StoreStats stats = Stores.conversations(config).stats();
        StoreStatsPrinter.print(stats, out);
        result.put("store", stats);

        out.line("[4/8] extract (Beam: validate, quarantine) and curate (normalize, redact, dedupe, score, split)");
        dev.tanrenai.extract.ExtractJob.Result extracted;
        dev.tanrenai.curate.CurateJob.Result curated;
        try (var run = dev.tanrenai.pipelines.stages.PipelineRun.start(config, "demo", out)) {
            extracted =
                    dev.tanrenai.pipelines.stages.ExtractCurate.extract(config, null, List.of(), List.of(), out, run);
            curated = dev.tanrenai.pipelines.stages.ExtractCurate.curate(
                    config,
                    extracted.snapshot(),
                    dev.tanrenai.curate.CurateJob.Settings.defaults(),
                    List.of(),
                    out,
                    run);
        }
        DatasetSnapshot snapshot = curated.snapshot();
        result.put("extract", Map.of("snapshot", extracted.snapshot().id(), "counts", extracted.counts()));
        result.put("curate", Map.of("snapshot", snapshot.id(), "counts", curated.counts()));
        result.put("snapshot", snapshot.manifest());

        out.line("[5/8] train a LoRA challenger on the snapshot (DJL; loss on the assistant turns)");
        result.put("training", DemoTraining.trainChallenger(config, snapshot, out));

        out.line("[6/8] evaluate the challenger against the champion (held-out, replay, general text; the demo"
                + " promotes nothing)");
        result.put("evaluation", evaluate(config, out));

        out.line("[7/8] champion and challenger answer (llama.cpp, greedy, temperature 0)");
        result.put("reply", ask(config, "champion", out));
        result.put("challengerReply", ask(config, "challenger", out));

        out.line("[8/8] serve: the OpenAI-compatible endpoint answers over HTTP and logs the conversation");
        result.put("served", DemoServing.serveOnce(config, DEMO_QUESTION, out));
        out.line("");
        out.line("The champion is a tiny model with random weights; the challenger is the same model with the adapter"
                + " trained on the demo conversations a moment ago. Explore: ./pipeline --help, ./pipeline models list"
                + " --home " + config.home().root());
        out.result(result);
        return 0;
    }

    private static Map<String, Object> evaluate(TanrenaiConfig config, Output out) throws IOException {
        EvaluateOptions options = new EvaluateOptions(
                EvaluateOptions.CHALLENGER,
                null,
                null,
                List.of(),
                List.of(),
                null,
                null,
                null,
                EvaluateOptions.DEFAULT_GENERAL_DOCUMENTS,
                ConversationSuite.DEFAULT_REPLAY_SAMPLE,
                ScoringSettings.DEFAULT_PRECISION);
        EvaluationResult r = Evaluations.run(config, options, false, Evaluator.Listener.none())
                .result();
        RunEvaluateCommand.print(out, r);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("id", r.id());
        summary.put("decision", r.decision().verdict());
        summary.put("summary", r.decision().summary());
        summary.put(
                "checks", r.decision().checks().stream().map(Check::describe).toList());
        summary.put("reportDir", r.reportDir().toString());
        summary.put("cacheHits", r.cacheHits());
        return summary;
    }

    private static BaseModel ensureChampion(TanrenaiConfig config, Output out) throws IOException {
        ModelRegistry registry = Stores.registry(config);
        Path modelFile = config.home().modelsDir().resolve("tiny-llama.gguf");
        if (!Files.exists(modelFile)) {
            String sha = TinyModelMaker.write(TinyModelSpec.llamaDefault(), modelFile);
            out.line("  made tiny llama model " + modelFile + " (sha256 " + sha.substring(0, 16) + "...)");
        }
        BaseModel model = registry.addBaseModel(modelFile, "tiny-llama", false);
        if (registry.alias("champion").isEmpty()) {
            registry.moveAlias("champion", model.id(), "demo: first champion (tiny random model)", "demo");
        }
        ModelRef current = registry.alias("champion").orElseThrow();
        out.line("  champion -> " + current.id() + " (" + current.base().name() + ", "
                + current.base().architecture() + ", " + current.base().sizeBytes() + " bytes)");
        return model;
    }

    private static Map<String, Object> ask(TanrenaiConfig config, String alias, Output out) {
        ModelRef champion = Stores.registry(config).alias(alias).orElseThrow();
        List<LoraAdapterRef> adapters = champion.adapterIfAny()
                .map(a -> List.of(LoraAdapterRef.of(a.path())))
                .orElse(List.of());
        RuntimeOptions options = RuntimeOptions.defaults(
                        champion.base().path(), config.home().nativeDir())
                .withAdapters(adapters)
                .withThreads(config.runtimeThreads())
                .withContextLength(Math.min(config.runtimeContextLength(), 512));
        try (LlamaRuntime runtime = LlamaRuntime.load(options)) {
            String prompt = runtime.applyChatTemplate(List.of(Message.user(DEMO_QUESTION)), true);
            Completion completion = runtime.complete(GenerationRequest.greedy(prompt, 32));
            if (alias.equals("champion")) {
                out.line("  user:        " + DEMO_QUESTION);
            }
            out.line(String.format("  %-11s  %s", alias + ":", completion.text().strip()));
            out.line("  (" + completion.tokenCount() + " tokens in "
                    + completion.elapsed().toMillis() + " ms, "
                    + completion.finishReason().name().toLowerCase(java.util.Locale.ROOT) + ")");
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("alias", alias);
            reply.put("model", champion.id());
            reply.put("question", DEMO_QUESTION);
            reply.put("text", completion.text());
            reply.put("tokens", completion.tokenCount());
            reply.put("finishReason", completion.finishReason());
            return reply;
        }
    }

    private static Path copyResource(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the demo resource " + RESOURCES + name + " is missing from the build");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
