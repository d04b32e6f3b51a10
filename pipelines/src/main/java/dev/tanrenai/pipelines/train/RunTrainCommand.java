package dev.tanrenai.pipelines.train;

import dev.tanrenai.datasets.format.ChatFormat;
import dev.tanrenai.datasets.format.ImportListener;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.FileSnapshots;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.models.registry.BaseModel;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.ProgressBar;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.datasets.SnapshotReference;
import dev.tanrenai.pipelines.loop.Lineage;
import dev.tanrenai.pipelines.loop.LoopStages;
import dev.tanrenai.pipelines.models.AliasOptions;
import dev.tanrenai.train.loop.StepMetrics;
import dev.tanrenai.train.loop.TrainConfig;
import dev.tanrenai.train.loop.TrainListener;
import dev.tanrenai.train.replay.ReplayBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline run train}: trains a LoRA adapter for a base model and registers it. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a LoRA adapter of a base GGUF model on a dataset snapshot (or a JSONL file), with the replay",
            "buffer mixed in; export it for llama.cpp (GGUF) and PEFT, and register it with its provenance.",
            "Its conversations are not treated as learned yet: they go to the replay buffer and curate's dedupe",
            "history (and a curated batch is marked learned) only when the adapter is promoted, by",
            "'pipeline run evaluate --promote' or the nightly run, as the nightly loop does.",
            "The same command with --resume continues an interrupted run from its last checkpoint."
        })
public final class RunTrainCommand implements Callable<Integer> {

    /** Replay buffer size when it is first created. */
    public static final int DEFAULT_REPLAY_CAPACITY = 2000;

    public static final long REPLAY_SEED = 0x7a6e7261L;

    @Mixin
    CommonOptions common;

    @Mixin
    AliasOptions aliasOptions;

    @Option(
            names = "--base",
            required = true,
            paramLabel = "MODEL",
            description = "Base model: .gguf file or registry id/name/alias.")
    String base;

    static final class Data {
        @Option(
                names = "--dataset",
                paramLabel = "SNAPSHOT",
                description = "A snapshot directory, DATASET/ID, or DATASET (its latest).")
        String dataset;

        @Option(
                names = "--conversations",
                paramLabel = "FILE",
                description = "Conversations as JSONL (see --format); a snapshot is made from them.")
        Path conversations;
    }

    @ArgGroup(multiplicity = "1")
    Data data;

    @Option(
            names = "--format",
            paramLabel = "F",
            description = "Format of --conversations: openai, sharegpt or alpaca (default: ${DEFAULT-VALUE}).")
    String format = "openai";

    @Option(
            names = "--continue-from",
            paramLabel = "ADAPTER",
            description = "Continue training this adapter (.gguf or registry ref, e.g. champion).")
    String continueFrom;

    @Option(
            names = "--resume",
            description = {
                "Continue this run from its newest good checkpoint (damaged ones are reported and skipped).",
                "A run whose newest checkpoint is its final step is finished: its adapter is exported and",
                "registered, or reported as already complete with its id."
            })
    boolean resume;

    @Option(names = "--rank", paramLabel = "R", description = "LoRA rank (default: ${DEFAULT-VALUE}).")
    int rank = 8;

    @Option(
            names = "--alpha",
            paramLabel = "A",
            description = "LoRA alpha; delta = alpha/rank * B*A (default: ${DEFAULT-VALUE}).")
    float alpha = 16f;

    @Option(names = "--dropout", paramLabel = "P", description = "LoRA dropout (default: ${DEFAULT-VALUE}).")
    float dropout = 0f;

    @Option(
            names = "--targets",
            split = ",",
            paramLabel = "T",
            completionCandidates = LoraTargetNames.class,
            description = "Adapted projections: ${COMPLETION-CANDIDATES} (default: q,k,v,o).")
    List<String> targets = List.of("q", "k", "v", "o");

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps = TrainConfig.defaults().steps();

    @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate = TrainConfig.defaults().learningRate();

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up steps (default: min(10, steps/10)).")
    Integer warmup;

    @Option(
            names = "--max-len",
            paramLabel = "TOKENS",
            description = "Tokens per packed sequence (default: ${DEFAULT-VALUE}).")
    int maxLength = TrainConfig.defaults().maxLength();

    @Option(
            names = "--accumulation",
            paramLabel = "N",
            description = "Sequences per optimizer step (default: ${DEFAULT-VALUE}).")
    int accumulation = 1;

    @Option(
            names = "--replay-ratio",
            paramLabel = "R",
            description = "Replay share of trained tokens (default: ${DEFAULT-VALUE}; see README).")
    double replayRatio = TrainConfig.DEFAULT_REPLAY_RATIO;

    @Option(
            names = "--replay-capacity",
            paramLabel = "N",
            description = "Replay buffer size, fixed when it is first created (default: ${DEFAULT-VALUE}).")
    int replayCapacity = DEFAULT_REPLAY_CAPACITY;

    @Option(
            names = "--kl-weight",
            paramLabel = "BETA",
            description = "Weight of the KL-to-base term on replay tokens; 0 = off (default: ${DEFAULT-VALUE}).")
    float klWeight = 0f;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "N",
            description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = TrainConfig.defaults().checkpointEvery();

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "Seed of initialisation, data order, replay and dropout (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Override
    public Integer call() throws IOException {
        EnumSet<LoraTarget> targetSet = targets(); // a bad --targets fails before anything is opened
        TanrenaiConfig config = common.config();
        ModelRegistry registry = Stores.registry(config);
        BaseModel baseModel = resolveBase(registry);
        Path continuePath = null;
        String continueId = null;
        if (continueFrom != null) {
            ContinueFrom c = ContinueFrom.resolve(continueFrom, registry, baseModel);
            continuePath = c.path();
            continueId = c.id();
        }
        Output out = common.output();
        DatasetSnapshot snapshot = snapshot(config, out);
        TrainConfig trainConfig = new TrainConfig(
                steps,
                learningRate,
                warmup != null ? warmup : Math.min(10, steps / 10),
                TrainConfig.defaults().minLearningRateRatio(),
                TrainConfig.defaults().weightDecay(),
                TrainConfig.defaults().maxGradNorm(),
                accumulation,
                maxLength,
                replayRatio,
                klWeight,
                checkpointEvery,
                TrainConfig.defaults().keepCheckpoints(),
                seed);
        LoraConfig lora = new LoraConfig(rank, alpha, dropout, targetSet, seed);
        LoopStages.TrainInput input = new LoopStages.TrainInput(
                snapshot, List.of(snapshot.id()), baseModel, continuePath, continueId, trainConfig, lora, resume);
        ReplayBuffer replay = new ReplayBuffer(Stores.database(config), replayCapacity, REPLAY_SEED);
        LoopStages.Trained trained;
        try (ProgressBar bar = ProgressBar.onStderr("train", steps)) {
            trained = LoopStages.train(config, registry, replay, input, progress(bar));
        }
        TrainAndRegister.Registered outcome = trained.run();
        TrainSummary.print(out, outcome, snapshot);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("runId", outcome.result().runId());
        result.put("runDir", outcome.result().runDir().toString());
        result.put("adapter", outcome.adapter());
        result.put("peftDir", outcome.result().peftDir().toString());
        result.put("dataset", snapshot.id());
        result.put("data", outcome.result().data());
        result.put("replayShare", outcome.result().data().replayShare());
        result.put("alreadyComplete", outcome.alreadyComplete());
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("state", "pending");
        lineage.put("trainedOn", trained.trainedOn().size());
        lineage.put("file", outcome.result().runDir().resolve(Lineage.FILE).toString());
        lineage.put("commitsWhen", "the adapter is promoted (pipeline run evaluate --promote, or the nightly run)");
        result.put("lineage", lineage);
        result.put("metrics", outcome.result().loop());
        aliasOptions.moveIfRequested(
                registry,
                outcome.adapter().id(),
                "trained by run " + outcome.result().runId(),
                out,
                result);
        out.result(result);
        return 0;
    }

    private BaseModel resolveBase(ModelRegistry registry) {
        Path file = Path.of(base);
        if (Files.isRegularFile(file)) {
            return registry.addBaseModel(file, null, false);
        }
        ModelRef ref = registry.resolve(base);
        if (ref.isAdapter()) {
            throw new IllegalArgumentException("--base: '" + base + "' is adapter " + ref.id() + " of base "
                    + ref.base().id() + "; pass --base " + ref.base().id() + " --continue-from " + base
                    + " to train it further");
        }
        return ref.base();
    }

    private DatasetSnapshot snapshot(TanrenaiConfig config, Output out) throws IOException {
        if (data.dataset != null) {
            return SnapshotReference.open(data.dataset, config.home().datasetsDir());
        }
        Path rejects = Files.createDirectories(config.home().runsDir().resolve("rejects"))
                .resolve(data.conversations.getFileName() + ".rejects.jsonl");
        FileSnapshots.Result r = FileSnapshots.fromFile(
                data.conversations,
                ChatFormat.fromName(format),
                config.home().datasetsDir(),
                "conversations",
                rejects,
                ImportListener.none());
        out.line("snapshot " + r.snapshot().id() + " from " + data.conversations + ": "
                + r.snapshot().rowCount()
                + " conversations"
                + (r.report().rejected() > 0 ? ", " + r.report().rejected() + " rejected (see " + rejects + ")" : ""));
        return r.snapshot();
    }

    private EnumSet<LoraTarget> targets() {
        EnumSet<LoraTarget> set = EnumSet.noneOf(LoraTarget.class);
        for (String t : targets) {
            set.add(LoraTarget.fromName(t));
        }
        return set;
    }

    private static TrainListener progress(ProgressBar bar) {
        return (StepMetrics m) -> bar.update(
                m.step(),
                String.format(
                        Locale.ROOT,
                        "loss %.4f · lr %.2e · %.0f tok/s",
                        m.loss(),
                        m.learningRate(),
                        m.tokensPerSecond()));
    }
}
