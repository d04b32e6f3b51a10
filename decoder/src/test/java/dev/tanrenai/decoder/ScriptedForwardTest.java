package dev.tanrenai.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.decoder.testing.RandomAdapters;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TorchScript scoring forward computes what the DJL forward computes: the same log-probabilities
 * of a packed pass (three segments, scored rows in any order) within 1e-5, on llama (grouped-query
 * attention) and qwen2 (q/k/v biases, NEOX rotation) shapes, with an adapter on every projection.
 */
class ScriptedForwardTest {

    /** Largest |Δ log p| allowed between the engines in float32 (measured: 0, the same operations in the same order). */
    static final double FP32_TOLERANCE = 1e-5;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void theScriptedPassGivesTheDjlLogProbabilities(String arch) throws Exception {
        TinyModelSpec spec = arch.equals("llama") ? TinyModelSpec.llamaDefault() : TinyModelSpec.qwen2Default();
        Path model = dir.resolve(arch + ".gguf");
        TinyModelMaker.write(spec, model);
        Path adapter = dir.resolve(arch + "-lora.gguf");
        RandomAdapters.write(spec, EnumSet.allOf(LoraTarget.class), 4, 8f, 0.05f, 7, adapter);
        SplittableRandom random = new SplittableRandom(5);
        int seq = 300;
        int[] tokens = random.ints(seq, 0, spec.vocabSize()).toArray();
        int[] segments = new int[seq];
        java.util.Arrays.fill(segments, 120, seq, 1);
        java.util.Arrays.fill(segments, 250, seq, 2);
        int[] rows = random.ints(0, seq).distinct().limit(180).toArray(); // any order, some left out
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraWeights lora = LoraWeights.loadFrozen(adapter, m);
            for (DecoderModel decoder :
                    new DecoderModel[] {new DecoderModel(weights), new DecoderModel(weights, lora)}) {
                float[] djl = decoder.logProbs(tokens, segments, rows, ForwardEngine.DJL, m)
                        .toFloatArray();
                float[] script = decoder.logProbs(tokens, segments, rows, ForwardEngine.TORCHSCRIPT, m)
                        .toFloatArray();
                assertEquals(rows.length * spec.vocabSize(), script.length);
                double max = maxAbsDiff(djl, script);
                System.out.println(arch + ": max |Δ log p| DJL vs TorchScript " + max);
                assertTrue(max <= FP32_TOLERANCE, "max |Δ log p| " + max);
            }
            float[] base = new DecoderModel(weights)
                    .logProbs(tokens, segments, rows, ForwardEngine.TORCHSCRIPT, m)
                    .toFloatArray();
            float[] adapted = new DecoderModel(weights, lora)
                    .logProbs(tokens, segments, rows, ForwardEngine.TORCHSCRIPT, m)
                    .toFloatArray();
            assertTrue(maxAbsDiff(base, adapted) > 1e-3, "the adapter changes the scripted pass");
        }
    }

    /**
     * Rows of different lengths scored side by side ({@code [rows, length]}, right-padded): each row's
     * log-probabilities are what the DJL ops give for that sequence alone, within 1e-5, whatever the
     * padding holds; a row with no asked position still takes part.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void batchedRowsGiveEachSequenceAlone(String arch) throws Exception {
        TinyModelSpec spec = arch.equals("llama") ? TinyModelSpec.llamaDefault() : TinyModelSpec.qwen2Default();
        Path model = dir.resolve(arch + ".gguf");
        TinyModelMaker.write(spec, model);
        Path adapter = dir.resolve(arch + "-lora.gguf");
        RandomAdapters.write(spec, EnumSet.allOf(LoraTarget.class), 4, 8f, 0.05f, 7, adapter);
        SplittableRandom random = new SplittableRandom(8);
        int[] lengths = {130, 37, 130, 1, 90};
        int[][] sequences = new int[lengths.length][];
        int[][] positions = new int[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            sequences[b] = random.ints(lengths[b], 0, spec.vocabSize()).toArray();
            positions[b] = random.ints(0, lengths[b])
                    .distinct()
                    .limit(b == 2 ? 0 : Math.max(1, lengths[b] * 2 / 3))
                    .toArray();
        }
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            DecoderModel decoder = new DecoderModel(weights, LoraWeights.loadFrozen(adapter, m));
            float[] script = decoder.logProbs(sequences, positions, ForwardEngine.TORCHSCRIPT, m)
                    .toFloatArray();
            int asked =
                    java.util.Arrays.stream(positions).mapToInt(p -> p.length).sum();
            assertEquals(asked * spec.vocabSize(), script.length);
            double max = 0;
            int offset = 0;
            for (int b = 0; b < lengths.length; b++) {
                if (positions[b].length == 0) {
                    continue;
                }
                float[] alone = decoder.logProbs(sequences[b], new int[lengths[b]], positions[b], ForwardEngine.DJL, m)
                        .toFloatArray();
                float[] row = java.util.Arrays.copyOfRange(script, offset, offset + alone.length);
                max = Math.max(max, maxAbsDiff(alone, row));
                offset += alone.length;
            }
            System.out.println(
                    arch + ": max |Δ log p| batched TorchScript vs each sequence alone on the DJL ops " + max);
            assertTrue(max <= FP32_TOLERANCE, "max |Δ log p| " + max);
            float[] djl =
                    decoder.logProbs(sequences, positions, ForwardEngine.DJL, m).toFloatArray();
            assertTrue(maxAbsDiff(djl, script) <= FP32_TOLERANCE, "the DJL reference of the batch");
            var e = assertThrows(
                    IllegalArgumentException.class,
                    () -> decoder.logProbs(
                            new int[][] {{1, 2, 3}, {1, 2}}, new int[][] {{0}, {2}}, ForwardEngine.TORCHSCRIPT, m));
            assertEquals("position 2 is outside sequence 1 of the batch (2 tokens)", e.getMessage());
        }
    }

    @Test
    void bf16ProductsInTheScriptFollowTheDjlBf16Pass() throws Exception {
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        Path model = dir.resolve("llama.gguf");
        TinyModelMaker.write(spec, model);
        Path adapter = dir.resolve("lora.gguf");
        RandomAdapters.write(spec, EnumSet.of(LoraTarget.Q, LoraTarget.V), 4, 8f, 0.05f, 9, adapter);
        int[] tokens = new SplittableRandom(6).ints(200, 0, spec.vocabSize()).toArray();
        int[] segments = new int[tokens.length];
        int[] rows = java.util.stream.IntStream.range(0, tokens.length).toArray();
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            DecoderModel decoder =
                    new DecoderModel(weights, LoraWeights.loadFrozen(adapter, m), Bf16Weights.of(weights));
            float[] djl = decoder.logProbs(tokens, segments, rows, ForwardEngine.DJL, m)
                    .toFloatArray();
            float[] script = decoder.logProbs(tokens, segments, rows, ForwardEngine.TORCHSCRIPT, m)
                    .toFloatArray();
            double max = maxAbsDiff(djl, script);
            System.out.println("bf16: max |Δ log p| DJL vs TorchScript " + max);
            // measured 0: the same bf16 roundings of the same float32 values; a float32 rounding difference can
            // move a bf16 rounding by one step, so not bit for bit
            assertTrue(max <= 1e-3, "max |Δ log p| " + max);
        }
    }

    @Test
    void badInputIsRefusedNamingIt() throws Exception {
        Path model = dir.resolve("llama.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderModel decoder = new DecoderModel(DecoderWeights.load(gguf, m));
            int[] tokens = {1, 2, 3};
            var e = assertThrows(
                    IllegalArgumentException.class,
                    () -> decoder.logProbs(tokens, new int[3], new int[] {3}, ForwardEngine.TORCHSCRIPT, m));
            assertEquals("position 3 is outside the sequence of 3 tokens", e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> decoder.logProbs(
                            new int[] {1, 9999}, new int[2], new int[] {0}, ForwardEngine.TORCHSCRIPT, m));
            assertTrue(e.getMessage().contains("token id 9999 at position 1"), e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> decoder.logProbs(tokens, new int[] {1, 0, 0}, new int[] {0}, ForwardEngine.TORCHSCRIPT, m));
            assertTrue(e.getMessage().contains("segment ids must not decrease"), e.getMessage());
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
