package dev.tanrenai.pipelines;

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
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.evaluate.EvaluateOptions;
import dev.tanrenai.pipelines.evaluate.Evaluations;
import dev.tanrenai.pipelines.evaluate.RunEvaluateCommand;
import dev.tanrenai.pipelines.loop.Lineage;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pipeline demo}: the main job on an embedded default — the bundled stories260K model and 36
 * conversations whose stories teach it three facts it cannot know — in {@code ./demo-home} unless
 * {@code --home} says otherwise; {@code --tiny} runs it on a tiny random model instead, as a fast smoke run.
 *
 * <p>It prepares the champion, imports the demo conversations, shows the store, extracts and curates
 * them, trains a LoRA challenger on the curated snapshot, evaluates it against the base model (held-out,
 * retention, the gate's decision) and promotes it to champion when the gate says so, shows the base and
 * the trained adapter continuing story openings that no conversation contains (greedy text and the
 * taught name's probability), serves one request, and prints the {@code pipeline chat} command that
 * talks to the champion. Each step calls the library classes the commands use. Running it twice is
 * safe: nothing is imported, trained or registered twice.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the main job on built-in demo data (in ./demo-home unless --home is given): register the bundled",
            "stories260K model as the champion, import 36 conversations whose stories teach it three facts (Lily's",
            "dog is Spot, Ben's cat is Coco, Mia's bird is Pip), show the store, extract and curate what is new, train",
            "a LoRA challenger on it, evaluate it against the base model (held-out, retention, the gate's decision)",
            "and promote it when the gate says so, show both continuing story openings in no conversation (greedy",
            "text and the taught name's probability), serve one request over the OpenAI-compatible endpoint, and",
            "print the pipeline chat command for the champion. --tiny does the same on a tiny random model and",
            "woodworking chats: a fast smoke run."
        })
public final class DemoCommand implements Callable<Integer> {

    static final String DEMO_QUESTION = "How long should I temper a carbon steel chisel?";
    static final String RESOURCES = "/dev/tanrenai/pipelines/demo/";

    @Mixin
    CommonOptions common;

    @Option(
            names = "--tiny",
            description = "Run on a tiny model with random weights (made on the spot) instead of stories260K:"
                    + " a fast smoke run whose replies are noise.")
    boolean tiny;

    @Override
    public Integer call() throws IOException {
        if (common.homeFlag() == null && System.getenv("TANRENAI_HOME") == null) {
            common.home(Path.of("demo-home"));
        }
        DemoSetup setup = tiny ? DemoSetup.tiny() : DemoSetup.stories260K();
        TanrenaiConfig config = common.config();
        config.home().initialize();
        Output out = common.output();
        Map<String, Object> result = new LinkedHashMap<>();
        out.line("Tanrenai demo in " + config.home().root());

        out.line("[1/8] champion model");
        BaseModel champion = DemoChampion.ensure(config, setup.champion(), out);
        result.put("champion", champion);

        out.line("[2/8] import the demo conversations");
        Path demoDir = config.home().root().resolve("demo");
        Files.createDirectories(demoDir);
        List<ImportReport> imports = new ArrayList<>();
        for (DemoSetup.Resource source : setup.conversations()) {
            Path file = copyResource(source.name(), demoDir);
            ImportReport report =
                    ImportCommand.run(config, file, ChatFormat.fromName(source.format()), null, Instant.now());
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
                    config, extracted.snapshot(), setup.curate(), List.of(), out, run);
        }
        DatasetSnapshot snapshot = curated.snapshot();
        result.put("extract", Map.of("snapshot", extracted.snapshot().id(), "counts", extracted.counts()));
        result.put("curate", Map.of("snapshot", snapshot.id(), "counts", curated.counts()));
        result.put("snapshot", snapshot.manifest());

        out.line("[5/8] train a LoRA challenger on the snapshot (DJL; loss on the assistant turns)");
        result.put("training", DemoTraining.trainChallenger(config, setup, snapshot, out));

        out.line("[6/8] evaluate the challenger against the base model (held-out, replay, general text; the gate"
                + " decides whether it becomes the champion)");
        Map<String, Object> evaluation = evaluate(config, champion.id(), out);
        result.put("evaluation", evaluation);
        ModelRegistry registry = Stores.registry(config);
        ModelRef challenger = registry.alias("challenger").orElseThrow();
        result.put("promotion", promote(config, registry, challenger, evaluation, out));

        if (setup.storyProbes()) {
            out.line("[7/8] the base model and the trained adapter continue story openings that are in no conversation"
                    + " (llama.cpp, greedy; P = the taught name's probability, from the evaluation's scoring engine)");
            result.put("answers", DemoStoryProbes.ask(config, challenger, setup.questions(), out));
        } else {
            out.line("[7/8] champion and challenger answer (llama.cpp, greedy, temperature 0)");
            List<Map<String, Object>> answers = DemoAnswers.ask(config, setup.questions(), out);
            result.put("answers", answers);
            result.put("reply", answers.get(0).get("champion"));
            result.put("challengerReply", answers.get(0).get("challenger"));
        }

        out.line("[8/8] serve: the OpenAI-compatible endpoint answers over HTTP and logs the conversation");
        result.put("served", DemoServing.serveOnce(config, setup.chatPrompt(), out));
        out.line("");
        out.line("gate: " + evaluation.get("summary"));
        String chat = "./pipeline chat --home " + config.home().root() + " --temperature 0";
        out.line(
                setup.champion() == DemoSetup.Champion.TINY_RANDOM
                        ? "The champion is a tiny model with random weights: its replies are noise (a smoke run)."
                        : "The base model is stories260K as published; the trained adapter is the same model with a LoRA"
                                + " adapter trained a moment ago on the demo conversations.");
        out.line("Talk to the champion ("
                + registry.alias("champion").orElseThrow().id() + "): " + chat);
        out.line("  and ask, e.g.: " + setup.chatPrompt());
        if (!Boolean.TRUE.equals(evaluation.get("promote"))) {
            out.line(
                    "The gate refused the trained adapter, so the champion did not move; to talk to the adapter anyway: "
                            + chat + " --model challenger");
        }
        out.line("Explore: ./pipeline --help, ./pipeline models list --home "
                + config.home().root());
        result.put("chatCommand", chat);
        out.result(result);
        return 0;
    }

    private static Map<String, Object> evaluate(TanrenaiConfig config, String baseModelId, Output out)
            throws IOException {
        EvaluateOptions options = new EvaluateOptions(
                EvaluateOptions.CHALLENGER,
                baseModelId,
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
        summary.put("promote", r.decision().promote());
        summary.put("summary", r.decision().summary());
        summary.put(
                "checks", r.decision().checks().stream().map(Check::describe).toList());
        summary.put("reportDir", r.reportDir().toString());
        summary.put("cacheHits", r.cacheHits());
        return summary;
    }

    /** Moves the champion alias to the challenger when the gate said promote (and it is not there yet). */
    private static Map<String, Object> promote(
            TanrenaiConfig config,
            ModelRegistry registry,
            ModelRef challenger,
            Map<String, Object> evaluation,
            Output out)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean promote = Boolean.TRUE.equals(evaluation.get("promote"));
        String current = registry.alias("champion").orElseThrow().id();
        m.put("promoted", promote);
        if (!promote) {
            out.line("  the gate refused the challenger: the champion stays " + current);
        } else if (!current.equals(challenger.id())) {
            registry.moveAlias(
                    "champion", challenger.id(), "demo: the gate promoted evaluation " + evaluation.get("id"), "demo");
            out.line("  the gate promoted the challenger: champion -> " + challenger.id());
            if (challenger.isAdapter()) {
                Optional<Lineage.Pending> pending = Lineage.pending(config, challenger.adapter());
                if (pending.isPresent()) {
                    Lineage.Committed lineage = Lineage.commit(
                            config,
                            Stores.database(config),
                            challenger.adapter().producingRunId(),
                            pending.get(),
                            "pipeline demo",
                            String.valueOf(evaluation.get("id")));
                    m.put("learned", lineage.conversations());
                    out.line("  lineage: " + lineage.conversations()
                            + " conversations recorded as learned (replay buffer, dedupe history)");
                }
            }
        } else {
            out.line("  the challenger " + challenger.id() + " is already the champion");
        }
        m.put("champion", registry.alias("champion").orElseThrow().id());
        return m;
    }

    /** Copies the demo resource {@code name} (a path under the demo resources) into {@code dir}, by its file name. */
    static Path copyResource(String name, Path dir) throws IOException {
        Path target = dir.resolve(Path.of(name).getFileName().toString());
        try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the demo resource " + RESOURCES + name + " is missing from the build");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
