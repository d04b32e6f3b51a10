package dev.tanrenai.train.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.train.data.PackedSequence;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The training loop: steps of {@code accumulation} packed sequences taken in a seeded order that is
 * reshuffled every epoch, warm-up + cosine learning rate, clipping, AdamW, metrics as JSON lines
 * and checkpoints. Everything a step does is a function of the seed, the step number and the
 * checkpointed state, so a run resumed from a checkpoint ends with the same weights, bit for bit, as
 * one that never stopped.
 */
public final class TrainingLoop {

    /** The file in the run directory that gets one JSON line per step. */
    public static final String METRICS_FILE = "metrics.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the run went.
     *
     * @param resumedFromStep the checkpoint's step this process started from (0: from the start)
     * @param firstLoss loss of the first step this process ran; null when it ran none (resumed a finished run)
     * @param finalLoss mean loss over the last tenth of the steps this process ran; null when it ran none
     * @param lastCheckpoint the newest checkpoint written, or the one resumed from when no step ran
     * @param rejectedCheckpoints damaged or unusable checkpoints the resume skipped, newest first
     */
    public record Result(
            int steps,
            int resumedFromStep,
            Double firstLoss,
            Double finalLoss,
            long tokens,
            long trainedTokens,
            double seconds,
            Checkpoint lastCheckpoint,
            List<CheckpointRejection> rejectedCheckpoints) {

        public Result {
            rejectedCheckpoints = List.copyOf(rejectedCheckpoints);
        }

        /** Tokens through the model per second of wall time. */
        public double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    private final TrainConfig config;
    private final AdapterTrainer trainer;
    private final List<PackedSequence> data;
    private final Path runDir;
    private final String fingerprint;
    private int orderEpoch = -1;
    private List<Integer> order = List.of();

    /**
     * @param data the packed sequences (already mixed with replay), in their packed order
     * @param runDir where checkpoints and metrics go
     * @param fingerprint identifies configuration, base model and data; a checkpoint of another is refused
     */
    public TrainingLoop(
            TrainConfig config, AdapterTrainer trainer, List<PackedSequence> data, Path runDir, String fingerprint) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("nothing to train on: no packed sequence");
        }
        this.config = config;
        this.trainer = trainer;
        this.data = List.copyOf(data);
        this.runDir = runDir;
        this.fingerprint = fingerprint;
    }

    /**
     * Runs the remaining steps.
     *
     * @param resume continue from the run directory's newest checkpoint, if it has one
     */
    public Result run(boolean resume, TrainListener listener, NDManager manager) throws IOException {
        Files.createDirectories(runDir);
        int start = 0;
        long position = 0;
        CheckpointResume.Outcome resumed = resume
                ? CheckpointResume.restore(runDir, fingerprint, trainer, listener)
                : new CheckpointResume.Outcome(Optional.empty(), List.of());
        if (resumed.from().isPresent()) {
            start = resumed.from().get().step();
            position = resumed.from().get().dataPosition();
        }
        Path metricsFile = runDir.resolve(METRICS_FILE);
        keepMetricsUpTo(metricsFile, start);
        Checkpoint last = null;
        List<Double> losses = new ArrayList<>();
        long tokens = 0;
        long trainedTokens = 0;
        long began = System.nanoTime();
        try (BufferedWriter metrics = Files.newBufferedWriter(
                metricsFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (int step = start + 1; step <= config.steps(); step++) {
                long stepBegan = System.nanoTime();
                Engine.getInstance().setRandomSeed(Long.hashCode(config.seed() * 1_000_003L + step)); // dropout
                List<PackedSequence> batch = new ArrayList<>();
                int epoch = (int) (position / data.size());
                for (int i = 0; i < config.accumulation(); i++) {
                    batch.add(data.get(sequenceAt(position++)));
                }
                long counted = 0;
                long klPositions = 0;
                long stepTokens = 0;
                for (PackedSequence s : batch) {
                    counted += s.trainedTokens();
                    klPositions += config.klWeight() > 0 ? replayPredictions(s) : 0;
                    stepTokens += s.length();
                }
                double crossEntropy = 0;
                double kl = 0;
                for (PackedSequence s : batch) {
                    AdapterTrainer.Contribution c = trainer.accumulate(
                            s,
                            counted > 0 ? 1f / counted : 0f,
                            klPositions > 0 ? config.klWeight() / klPositions : 0f,
                            manager);
                    crossEntropy += c.crossEntropySum();
                    kl += c.klSum();
                }
                float lr = config.learningRateAt(step);
                float norm = trainer.applyStep(lr, config.maxGradNorm());
                double loss = counted > 0 ? crossEntropy / counted : 0;
                losses.add(loss);
                tokens += stepTokens;
                trainedTokens += counted;
                double now = (System.nanoTime() - began) / 1e9;
                double stepSeconds = (System.nanoTime() - stepBegan) / 1e9;
                int done = step - start;
                StepMetrics m = new StepMetrics(
                        step,
                        config.steps(),
                        epoch,
                        loss,
                        klPositions > 0 ? kl / klPositions : 0,
                        lr,
                        norm,
                        stepTokens,
                        counted,
                        stepSeconds > 0 ? stepTokens / stepSeconds : 0,
                        now,
                        now / done * (config.steps() - step));
                metrics.write(JSON.writeValueAsString(m));
                metrics.newLine();
                metrics.flush();
                if ((config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0) || step == config.steps()) {
                    last = Checkpoint.write(runDir, step, position, fingerprint, trainer, config.keepCheckpoints());
                    listener.onCheckpoint(last);
                }
                listener.onStep(m);
            }
        }
        if (last == null) {
            last = resumed.from().orElse(null);
        }
        Double first = losses.isEmpty() ? null : losses.get(0);
        int tail = Math.max(1, losses.size() / 10);
        Double finalLoss = losses.isEmpty()
                ? null
                : losses.subList(losses.size() - tail, losses.size()).stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElseThrow();
        return new Result(
                config.steps(),
                start,
                first,
                finalLoss,
                tokens,
                trainedTokens,
                (System.nanoTime() - began) / 1e9,
                last,
                resumed.rejected());
    }

    /** The index of the sequence at global position {@code position}: a fresh seeded order per epoch. */
    int sequenceAt(long position) {
        int epoch = (int) (position / data.size());
        if (epoch != orderEpoch) {
            List<Integer> o = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                o.add(i);
            }
            Collections.shuffle(o, new Random(config.seed() * 31 + epoch));
            order = o;
            orderEpoch = epoch;
        }
        return order.get((int) (position % data.size()));
    }

    /** Predictions within replay segments (what the KL term covers). */
    static int replayPredictions(PackedSequence s) {
        boolean[] replay = s.replay();
        int[] segments = s.segments();
        int n = 0;
        for (int i = 0; i + 1 < replay.length; i++) {
            if (replay[i] && segments[i] == segments[i + 1]) {
                n++;
            }
        }
        return n;
    }

    private static void keepMetricsUpTo(Path file, int step) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && JSON.readTree(line).path("step").asInt() <= step) {
                kept.add(line);
            }
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
    }
}
