package dev.tanrenai.pipelines.loop;

import dev.tanrenai.curate.CurateJob;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.datasets.snapshot.ConversationRow;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotInput;
import dev.tanrenai.datasets.snapshot.SnapshotProvenance;
import dev.tanrenai.datasets.snapshot.SnapshotWriter;
import dev.tanrenai.datasets.snapshot.Splits;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.extract.ExtractJob;
import dev.tanrenai.models.registry.Adapter;
import dev.tanrenai.models.registry.BaseModel;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.config.NightlyConfig;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.evaluate.EvaluateOptions;
import dev.tanrenai.pipelines.evaluate.Evaluations;
import dev.tanrenai.pipelines.stages.ExtractCurate;
import dev.tanrenai.pipelines.stages.PipelineRun;
import dev.tanrenai.pipelines.train.RunTrainCommand;
import dev.tanrenai.pipelines.train.TrainAndRegister;
import dev.tanrenai.train.loop.TrainConfig;
import dev.tanrenai.train.loop.TrainListener;
import dev.tanrenai.train.replay.ReplayBuffer;
import dev.tanrenai.train.run.TrainRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop's stages as calls with typed inputs and outputs and no printing (what a stage reports goes to
 * the {@link Output} given, which the nightly run points at its log file). The nightly run, and through
 * it the scheduler, calls these.
 */
public final class LoopStages {

    private LoopStages() {}

    /**
     * What extract reads besides the store's changes since its watermark.
     *
     * @param since the store change to start after instead of the watermark, or null
     * @param files conversation files (or snapshots) read as well
     * @param beamArgs Beam pipeline options
     */
    public record ExtractInput(Long since, List<ExtractJob.FileInput> files, List<String> beamArgs) {
        public ExtractInput {
            files = List.copyOf(files);
            beamArgs = List.copyOf(beamArgs);
        }

        /** The nightly run's: the store's changes since the watermark, nothing else. */
        public static final ExtractInput STORE = new ExtractInput(null, List.of(), List.of());
    }

    /** What extract did: the snapshot it wrote, the store changes it covered, its counts and quarantine. */
    public record Extracted(
            String snapshotId, Path path, long from, long upTo, Map<String, Long> counts, Path quarantine) {}

    /**
     * What curate reads.
     *
     * @param inputs the snapshots to curate, or null for every extracted snapshot not yet curated
     */
    public record CurateInput(List<DatasetSnapshot> inputs, CurateJob.Settings settings, List<String> beamArgs) {
        public CurateInput {
            inputs = inputs == null ? null : List.copyOf(inputs);
            java.util.Objects.requireNonNull(settings, "settings");
            beamArgs = List.copyOf(beamArgs);
        }

        /** The nightly run's: the uncurated extracted snapshots, with the configuration's settings. */
        public static CurateInput nightly(NightlyConfig n) {
            return new CurateInput(
                    null,
                    new CurateJob.Settings(
                            n.dedupeThreshold(),
                            CurateJob.Settings.defaults().scoreThreshold(),
                            n.heldout(),
                            List.of()),
                    List.of());
        }
    }

    /** What curate did: the snapshot it wrote from {@code inputs}, or none (null id) when nothing was uncurated. */
    public record Curated(String snapshotId, Path path, List<String> inputs, Map<String, Long> counts) {}

    /**
     * The train stage's input.
     *
     * @param dataset what is trained on
     * @param batches the snapshots whose conversations are marked learned when the adapter is promoted
     * @param continuePath the adapter continued, or null (fresh from the base)
     * @param continueId its registry id, or null (a file outside the registry, or fresh)
     * @param resume continue the run's own checkpoints (same base, data and settings give the same run)
     */
    public record TrainInput(
            DatasetSnapshot dataset,
            List<String> batches,
            BaseModel base,
            Path continuePath,
            String continueId,
            TrainConfig train,
            LoraConfig lora,
            boolean resume) {
        public TrainInput {
            java.util.Objects.requireNonNull(dataset, "dataset");
            batches = List.copyOf(batches);
            java.util.Objects.requireNonNull(base, "base");
            java.util.Objects.requireNonNull(train, "train");
            java.util.Objects.requireNonNull(lora, "lora");
            if (continueId != null && continuePath == null) {
                throw new IllegalArgumentException("continueId " + continueId + " without its adapter file");
            }
        }

        /** The nightly run's: the configuration's training settings, resuming the run's own checkpoints. */
        public static TrainInput nightly(
                DatasetSnapshot dataset, List<String> batches, BaseModel base, Adapter continueFrom, NightlyConfig n) {
            TrainConfig t = new TrainConfig(
                    n.steps(),
                    n.learningRate(),
                    Math.min(10, n.steps() / 10),
                    TrainConfig.defaults().minLearningRateRatio(),
                    TrainConfig.defaults().weightDecay(),
                    TrainConfig.defaults().maxGradNorm(),
                    1,
                    n.maxLength(),
                    TrainConfig.DEFAULT_REPLAY_RATIO,
                    0f,
                    Math.max(1, Math.min(TrainConfig.defaults().checkpointEvery(), n.steps() / 4)),
                    TrainConfig.defaults().keepCheckpoints(),
                    n.seed());
            LoraConfig lora = new LoraConfig(
                    n.rank(),
                    2f * n.rank(),
                    0f,
                    EnumSet.of(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.O),
                    n.seed());
            return new TrainInput(
                    dataset,
                    batches,
                    base,
                    continueFrom == null ? null : continueFrom.path(),
                    continueFrom == null ? null : continueFrom.id(),
                    t,
                    lora,
                    true);
        }
    }

    /**
     * What training produced: the registered adapter and the conversations it trained on.
     *
     * @param run the training run and registration in full, or null when read back from a reused stage's record
     */
    public record Trained(
            String adapterId,
            String adapterSha256,
            String trainRunId,
            String datasetId,
            List<String> trainedOn,
            TrainAndRegister.Registered run) {}

    /**
     * The gate's decision on a candidate.
     *
     * @param outcome the evaluation in full, or null when read back from a reused stage's record
     */
    public record Evaluated(
            String evaluationId, boolean promote, String summary, Path report, Evaluations.Outcome outcome) {}

    /** Extracts the store's changes since the watermark (and {@code in}'s files) into a snapshot. */
    public static Extracted extract(TanrenaiConfig config, ExtractInput in, Output log, PipelineRun run)
            throws IOException {
        ExtractJob.Result r = ExtractCurate.extract(config, in.since(), in.files(), in.beamArgs(), log, run);
        return new Extracted(r.snapshot().id(), r.snapshot().dir(), r.from(), r.upTo(), r.counts(), r.quarantine());
    }

    /** Curates {@code in}'s snapshots (by default the uncurated extracted ones) into one curated snapshot. */
    public static Curated curate(TanrenaiConfig config, CurateInput in, Output log, PipelineRun run)
            throws IOException {
        List<DatasetSnapshot> inputs = in.inputs() == null ? ExtractCurate.uncurated(config) : in.inputs();
        List<String> ids = inputs.stream().map(DatasetSnapshot::id).toList();
        if (inputs.isEmpty()) {
            return new Curated(null, null, ids, Map.of());
        }
        CurateJob.Result r = ExtractCurate.curate(config, inputs, in.settings(), in.beamArgs(), log, run);
        return new Curated(r.snapshot().id(), r.snapshot().dir(), ids, r.counts());
    }

    /** The training conversations (not held out) of {@code snapshot}. */
    public static int trainingConversations(DatasetSnapshot snapshot) throws IOException {
        int n = 0;
        try (var rows = snapshot.readRows()) {
            while (rows.hasNext()) {
                if (!Splits.isHeldout(rows.next())) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * The dataset the train stage reads: the one pending batch, or the pending batches merged, in
     * order, into one snapshot of dataset {@value #MERGED} (its id derives from its content, so a rerun
     * writes the same one).
     */
    public static DatasetSnapshot merge(TanrenaiConfig config, List<DatasetSnapshot> batches) throws IOException {
        if (batches.size() == 1) {
            return batches.get(0);
        }
        List<SnapshotInput> inputs = new ArrayList<>();
        List<ConversationRow> rows = new ArrayList<>();
        var columns = batches.get(0).extraColumns();
        for (DatasetSnapshot b : batches) {
            if (!b.extraColumns().equals(columns)) {
                throw new IllegalStateException(
                        "curated snapshots " + batches.get(0).id() + " and " + b.id()
                                + " have different columns; the loop cannot merge them");
            }
            inputs.add(new SnapshotInput(
                    "snapshot", b.dir().toString(), null, b.manifest().contentSha256(), b.rowCount()));
            try (var it = b.readRows()) {
                while (it.hasNext()) {
                    rows.add(it.next());
                }
            }
        }
        return new SnapshotWriter()
                .writeRows(
                        config.home().datasetsDir(),
                        MERGED,
                        columns,
                        rows.iterator(),
                        SnapshotProvenance.of(inputs, Map.of("merged", "pending batches of the nightly loop"), null),
                        Map.of("rows", (long) rows.size()));
    }

    /** The dataset merged pending batches are written to. */
    public static final String MERGED = "nightly";

    /** The training settings of {@code input}: what the train stage's cache key covers besides its data. */
    static Map<String, Object> trainSettings(TrainInput input) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", input.train());
        m.put("lora", input.lora());
        m.put("base", input.base().sha256());
        m.put("continueFrom", input.continuePath() == null ? "" : Sha256.ofFile(input.continuePath()));
        return m;
    }

    /**
     * Trains and registers the adapter (with the replay buffer mixed in) and writes its pending
     * {@link Lineage}; feeds no lineage: the replay buffer, curate's dedupe history and the batches'
     * learned marks are committed only when the adapter is promoted.
     */
    public static Trained train(
            TanrenaiConfig config, ModelRegistry registry, ReplayBuffer replay, TrainInput in, TrainListener listener)
            throws IOException {
        TrainRequest request = new TrainRequest(
                in.base().path(),
                in.base().id(),
                in.dataset(),
                in.lora(),
                in.train(),
                in.continuePath(),
                in.continueId(),
                config.home().runsDir(),
                in.resume(),
                config.home().nativeDir());
        TrainAndRegister.Registered r = TrainAndRegister.trainAndRegister(request, registry, replay, listener);
        List<String> trainedOn =
                r.result().trainedOn().stream().map(Conversation::id).toList();
        Lineage.writePending(r.result().runDir(), in.dataset(), in.batches(), trainedOn);
        return new Trained(
                r.adapter().id(),
                r.adapter().sha256(),
                r.result().runId(),
                in.dataset().id(),
                trainedOn,
                r);
    }

    /** The conversations of {@code dataset} whose ids are in {@code ids}, in the dataset's order. */
    public static List<Conversation> conversations(DatasetSnapshot dataset, List<String> ids) throws IOException {
        java.util.Set<String> wanted = new java.util.HashSet<>(ids);
        List<Conversation> out = new ArrayList<>();
        try (var it = dataset.read()) {
            while (it.hasNext()) {
                Conversation c = it.next();
                if (wanted.contains(c.id())) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** Evaluates {@code candidate} against {@code baseline} (null: the base model) on {@code dataset}'s held-out split. */
    public static Evaluated evaluate(
            TanrenaiConfig config, String candidate, String baseline, String datasetRef, Path policy)
            throws IOException {
        EvaluateOptions options = new EvaluateOptions(
                candidate,
                baseline,
                datasetRef,
                List.of(),
                List.of(),
                null,
                policy,
                null,
                config.nightly().generalDocuments(),
                100,
                ScoringSettings.DEFAULT_PRECISION);
        return evaluate(config, options, false, dev.tanrenai.evaluate.run.Evaluator.Listener.none());
    }

    /**
     * Evaluates as {@code options} say; with {@code promote} (or a forced decision), a promoting
     * decision moves the champion alias and commits the candidate's pending {@link Lineage}.
     */
    public static Evaluated evaluate(
            TanrenaiConfig config,
            EvaluateOptions options,
            boolean promote,
            dev.tanrenai.evaluate.run.Evaluator.Listener listener)
            throws IOException {
        Evaluations.Outcome o = Evaluations.run(config, options, promote, listener);
        return new Evaluated(
                o.result().id(),
                o.result().decision().promote(),
                o.result().decision().summary(),
                o.result().reportDir().resolve("report.html"),
                o);
    }

    static String hash(Object... parts) {
        return Sha256.ofBytes(RunRecords.json(List.of(parts)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Iterator<Conversation> iterator(List<Conversation> list) {
        return list.iterator();
    }

    /** The replay buffer the loop (and run train) mixes in. */
    public static ReplayBuffer replay(TanrenaiConfig config, dev.tanrenai.datasets.store.Database db) {
        return ReplayBuffer.existing(db)
                .orElseGet(() ->
                        new ReplayBuffer(db, RunTrainCommand.DEFAULT_REPLAY_CAPACITY, RunTrainCommand.REPLAY_SEED));
    }
}
