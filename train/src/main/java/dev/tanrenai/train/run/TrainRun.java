package dev.tanrenai.train.run;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.provenance.BuildInfo;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.decoder.render.TrainingExample;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.train.data.PackedSequence;
import dev.tanrenai.train.data.SequencePacker;
import dev.tanrenai.train.loop.AdapterTrainer;
import dev.tanrenai.train.loop.TrainListener;
import dev.tanrenai.train.loop.TrainingLoop;
import dev.tanrenai.train.lora.PeftExport;
import dev.tanrenai.train.replay.ReplayMixer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one training: renders the dataset and the replay buffer with the model's own template
 * ({@link TrainingData}), mixes replay in at the configured share, packs, trains with checkpoints,
 * exports the adapter as a llama.cpp LoRA GGUF and a PEFT directory, and writes
 * {@code train-run.json} with its provenance: base and data hashes, replay share, configuration,
 * seed, code version and final metrics.
 */
public final class TrainRun {

    /** The run's record in its directory. */
    public static final String RECORD_FILE = "train-run.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final TrainRequest request;
    private final List<Conversation> replayBuffer;

    /** @param replayBuffer the replay buffer's conversations (empty on the first run) */
    public TrainRun(TrainRequest request, List<Conversation> replayBuffer) {
        this.request = request;
        this.replayBuffer = List.copyOf(replayBuffer);
    }

    public TrainResult execute(TrainListener listener) throws IOException {
        String baseSha = Sha256.ofFile(request.baseModel());
        TrainingData.Rendered fresh;
        TrainingData.Rendered replay;
        try (TrainingData data = TrainingData.open(request.baseModel(), request.nativeDir())) {
            fresh = data.render(trainingRows(request.dataset()));
            replay = data.render(replayBuffer);
        }
        ReplayMixer.Selection chosen = ReplayMixer.select(
                replay.examples(),
                fresh.trainedTokens(),
                request.config().replayRatio(),
                request.config().seed());
        List<SequencePacker.Item> items = new ArrayList<>();
        fresh.examples().forEach(e -> items.add(new SequencePacker.Item(e, false)));
        chosen.examples().forEach(e -> items.add(new SequencePacker.Item(e, true)));
        SequencePacker.Result packed = SequencePacker.pack(
                items, request.config().maxLength(), request.config().seed());
        if (packed.sequences().isEmpty()) {
            throw new IllegalArgumentException("dataset " + request.dataset().id() + " has nothing to train on: "
                    + fresh.withoutAssistantTurn() + " conversations without an assistant turn, "
                    + fresh.unrenderable().size() + " the template could not render, "
                    + packed.dropped().size() + " with no assistant token within "
                    + request.config().maxLength()
                    + " tokens");
        }
        Map<String, String> unrenderable = new TreeMap<>(fresh.unrenderable());
        replay.unrenderable().forEach((id, why) -> unrenderable.put("replay:" + id, why));
        DataReport report = new DataReport(
                fresh.conversations(),
                fresh.withoutAssistantTurn(),
                unrenderable,
                packed.truncated(),
                packed.dropped(),
                replayBuffer.size(),
                chosen.examples().size(),
                chosen.passes(),
                packed.sequences().size(),
                packed.tokens(),
                packed.trainedTokens(),
                packed.trainedReplayTokens());

        String continueSha = request.continueFrom() == null ? null : Sha256.ofFile(request.continueFrom());
        Map<String, Object> fingerprintInputs = new TreeMap<>();
        fingerprintInputs.put("base", baseSha);
        fingerprintInputs.put("dataset", request.dataset().manifest().contentSha256());
        fingerprintInputs.put(
                "replay",
                chosen.examples().stream().map(TrainingExample::conversationId).toList());
        fingerprintInputs.put("config", request.config());
        fingerprintInputs.put("lora", loraSettings(request.lora()));
        fingerprintInputs.put("continueFrom", continueSha == null ? "" : continueSha);
        String fingerprint = Sha256.ofBytes(JSON.writeValueAsBytes(fingerprintInputs));
        String runId = "t-" + fingerprint.substring(0, 12);
        Path runDir = Files.createDirectories(request.runsDir().resolve(runId));
        if (!request.resume()) {
            RunFiles.clear(runDir);
        }

        TrainingLoop.Result loop;
        LoraConfig trained;
        Path adapter = runDir.resolve("adapter.gguf");
        Path peft = runDir.resolve("peft");
        try (GgufFile gguf = GgufFile.open(request.baseModel());
                NDManager manager = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, manager);
            LoraWeights lora = request.continueFrom() == null
                    ? LoraWeights.initialize(request.lora(), weights.config(), manager)
                    : LoraWeights.load(
                            request.continueFrom(),
                            manager,
                            request.lora().seed(),
                            request.lora().dropout());
            lora.requireCompatible(weights.config());
            trained = lora.config();
            AdapterTrainer trainer =
                    new AdapterTrainer(weights, lora, request.config().weightDecay());
            List<PackedSequence> sequences = packed.sequences();
            loop = new TrainingLoop(request.config(), trainer, sequences, runDir, fingerprint)
                    .run(request.resume(), listener, manager);
            lora.writeGguf(adapter);
            PeftExport.write(lora, weights.config(), peft, request.baseModelId());
        }
        String adapterSha = Sha256.ofFile(adapter);

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("runId", runId);
        record.put("fingerprint", fingerprint);
        record.put(
                "base", Map.of("path", request.baseModel().toString(), "id", request.baseModelId(), "sha256", baseSha));
        record.put(
                "dataset",
                Map.of(
                        "snapshot", request.dataset().id(),
                        "contentSha256", request.dataset().manifest().contentSha256(),
                        "rows", request.dataset().rowCount()));
        record.put(
                "continueFrom",
                request.continueFrom() == null
                        ? Map.of()
                        : Map.of(
                                "path",
                                request.continueFrom().toString(),
                                "sha256",
                                continueSha,
                                "id",
                                String.valueOf(request.continueFromId())));
        record.put("config", request.config());
        record.put("lora", loraSettings(trained));
        record.put("data", report);
        record.put("replayShare", report.replayShare());
        Map<String, Object> metrics =
                new LinkedHashMap<>(); // the losses are null when no step ran (a finished run resumed)
        metrics.put("steps", loop.steps());
        metrics.put("resumedFromStep", loop.resumedFromStep());
        metrics.put("firstLoss", loop.firstLoss());
        metrics.put("finalLoss", loop.finalLoss());
        metrics.put("tokens", loop.tokens());
        metrics.put("trainedTokens", loop.trainedTokens());
        metrics.put("seconds", loop.seconds());
        metrics.put("tokensPerSecond", loop.tokensPerSecond());
        metrics.put("rejectedCheckpoints", loop.rejectedCheckpoints());
        record.put("metrics", metrics);
        record.put("code", BuildInfo.current().toMap());
        record.put(
                "outputs",
                Map.of("adapterGguf", adapter.toString(), "adapterSha256", adapterSha, "peft", peft.toString()));
        Files.write(
                runDir.resolve(RECORD_FILE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record).getBytes(StandardCharsets.UTF_8));

        Map<String, String> provenance = new TreeMap<>();
        provenance.put("run.id", runId);
        provenance.put("run.fingerprint", fingerprint);
        provenance.put("base.sha256", baseSha);
        provenance.put("dataset.snapshot", request.dataset().id());
        provenance.put("dataset.contentSha256", request.dataset().manifest().contentSha256());
        provenance.put("replay.share", String.format(java.util.Locale.ROOT, "%.4f", report.replayShare()));
        provenance.put("replay.examples", Integer.toString(report.replayExamples()));
        provenance.put("config", JSON.writeValueAsString(request.config()));
        provenance.put("lora", JSON.writeValueAsString(loraSettings(trained)));
        provenance.put("seed", Long.toString(request.config().seed()));
        provenance.put("code.version", BuildInfo.current().describe());
        provenance.put("metrics.firstLoss", String.valueOf(loop.firstLoss()));
        provenance.put("metrics.finalLoss", String.valueOf(loop.finalLoss()));
        provenance.put("metrics.steps", Integer.toString(loop.steps()));
        if (continueSha != null) {
            provenance.put("continueFrom.sha256", continueSha);
        }
        List<Conversation> trainedOn = new ArrayList<>();
        java.util.Set<String> dropped = new java.util.HashSet<>(packed.dropped());
        for (Conversation c : fresh.renderedConversations()) {
            if (!dropped.contains(c.id())) {
                trainedOn.add(c);
            }
        }
        return new TrainResult(runId, runDir, adapter, adapterSha, peft, provenance, report, loop, trainedOn);
    }

    /**
     * The snapshot's conversations meant for training: all of them, except rows a curated snapshot
     * marks {@code split = heldout} (kept for evaluation, never trained on).
     */
    static List<Conversation> trainingRows(dev.tanrenai.datasets.snapshot.DatasetSnapshot snapshot) throws IOException {
        List<Conversation> out = new ArrayList<>();
        try (var rows = snapshot.readRows()) {
            while (rows.hasNext()) {
                var row = rows.next();
                if (!dev.tanrenai.datasets.snapshot.Splits.isHeldout(row)) {
                    out.add(row.conversation());
                }
            }
        }
        return out;
    }

    private static Map<String, Object> loraSettings(LoraConfig config) {
        Map<String, Object> lora = new TreeMap<>();
        lora.put("rank", config.rank());
        lora.put("alpha", config.alpha());
        lora.put("dropout", config.dropout());
        lora.put("targets", config.targets().stream().map(Enum::name).sorted().toList());
        lora.put("seed", config.seed());
        return lora;
    }
}
