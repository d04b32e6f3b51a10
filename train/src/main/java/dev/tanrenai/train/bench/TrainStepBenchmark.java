package dev.tanrenai.train.bench;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.decoder.DecoderConfig;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.train.data.PackedSequence;
import dev.tanrenai.train.loop.AdapterTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times LoRA training steps (forward, backward, clipping, AdamW) of a GGUF model on one packed
 * sequence of random tokens, after warm-up steps, and derives tokens/s and model-FLOPs utilisation.
 */
public final class TrainStepBenchmark {

    /**
     * @param parameters all weights of the base model
     * @param stepSeconds median step time
     * @param stepSecondsP90 90th-percentile step time
     * @param achievedGflops model FLOPs per step / median step time
     * @param mfu achieved / the matmul peak
     * @param peakRssBytes the process's peak resident memory after the run (VmHWM), -1 when unknown
     */
    public record Result(
            String model,
            String architecture,
            long parameters,
            int sequenceLength,
            int steps,
            double stepSeconds,
            double stepSecondsP90,
            double tokensPerSecond,
            double flopsPerStep,
            double achievedGflops,
            double mfu,
            long peakRssBytes) {}

    private TrainStepBenchmark() {}

    public static Result run(Path model, LoraConfig lora, int sequenceLength, int warmup, int steps, double peakGflops)
            throws IOException {
        return run(model, lora, sequenceLength, warmup, 0, steps, peakGflops);
    }

    /**
     * As {@link #run(Path, LoraConfig, int, int, int, double)}, warming up for at least {@code warmup} steps
     * and at least {@code warmupSeconds}: a small model's step is hundreds of JNI calls from Java code that
     * the JIT compiles over the first seconds, so a few warm-up steps leave it slower than it settles at.
     */
    public static Result run(
            Path model,
            LoraConfig lora,
            int sequenceLength,
            int warmup,
            double warmupSeconds,
            int steps,
            double peakGflops)
            throws IOException {
        if (warmup < 0 || !(warmupSeconds >= 0) || steps < 1) {
            throw new IllegalArgumentException("warm-up steps and seconds must be >= 0 and steps >= 1; got " + warmup
                    + ", " + warmupSeconds + ", " + steps);
        }
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            DecoderConfig config = weights.config();
            LoraWeights adapter = LoraWeights.initialize(lora, config, m);
            AdapterTrainer trainer = new AdapterTrainer(weights, adapter, 0f);
            SplittableRandom random = new SplittableRandom(7);
            int[] tokens = new int[sequenceLength];
            boolean[] mask = new boolean[sequenceLength];
            for (int i = 0; i < sequenceLength; i++) {
                tokens[i] = random.nextInt(config.vocabSize());
                mask[i] = i > 0;
            }
            PackedSequence sequence = new PackedSequence(
                    tokens, mask, new boolean[sequenceLength], new int[sequenceLength], List.of("bench"));
            float scale = 1f / sequence.trainedTokens();
            System.gc(); // loading leaves the dequantized copies behind: collect them before timing
            long warmupStart = System.nanoTime();
            for (int i = 0; i < warmup || (System.nanoTime() - warmupStart) / 1e9 < warmupSeconds; i++) {
                trainer.accumulate(sequence, scale, 0f, m);
                trainer.applyStep(1e-4f, 1f);
            }
            double[] seconds = new double[steps];
            for (int i = 0; i < steps; i++) {
                long start = System.nanoTime();
                trainer.accumulate(sequence, scale, 0f, m);
                trainer.applyStep(1e-4f, 1f);
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
            double[] sorted = seconds.clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2];
            double p90 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.9) - 1)];
            double flops = ModelFlops.trainingStep(config, lora, sequenceLength);
            double achieved = flops / median / 1e9;
            return new Result(
                    model.getFileName().toString(),
                    config.architecture(),
                    ModelFlops.parameters(config),
                    sequenceLength,
                    steps,
                    median,
                    p90,
                    sequenceLength / median,
                    flops,
                    achieved,
                    achieved / peakGflops,
                    peakRss());
        }
    }

    /** VmHWM of /proc/self/status in bytes, or -1 off Linux. */
    public static long peakRss() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + status, e);
        }
        return -1;
    }
}
