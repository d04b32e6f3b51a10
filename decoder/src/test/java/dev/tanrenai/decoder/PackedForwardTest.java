package dev.tanrenai.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packed examples do not see each other: each segment's logits equal those of the example alone. */
class PackedForwardTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void eachSegmentComputesWhatItComputesAlone(String arch) throws Exception {
        Path model = dir.resolve(arch + ".gguf");
        TinyModelMaker.write(arch.equals("llama") ? TinyModelSpec.llamaDefault() : TinyModelSpec.qwen2Default(), model);
        int[] a = {1, 300, 301, 302, 303};
        int[] b = {1, 400, 401, 402, 403, 404, 405};
        int[] packed = new int[a.length + b.length];
        System.arraycopy(a, 0, packed, 0, a.length);
        System.arraycopy(b, 0, packed, a.length, b.length);
        int[] segments = new int[packed.length];
        java.util.Arrays.fill(segments, a.length, packed.length, 1);
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderModel decoder = new DecoderModel(DecoderWeights.load(gguf, m));
            float[] together = decoder.logits(packed, segments, m).toFloatArray();
            float[] alone = concat(
                    decoder.logits(a, m).toFloatArray(), decoder.logits(b, m).toFloatArray());
            assertEquals(alone.length, together.length);
            float max = 0;
            for (int i = 0; i < alone.length; i++) {
                max = Math.max(max, Math.abs(alone[i] - together[i]));
            }
            assertEquals(0f, max, 1e-4f, "max |Δ| of the logits");
            // without segments, b would attend to a: the logits differ
            float[] unsegmented =
                    decoder.logits(packed, m).get(new NDIndex("{}:", a.length)).toFloatArray();
            float diff = 0;
            for (int i = 0; i < unsegmented.length; i++) {
                diff = Math.max(
                        diff, Math.abs(unsegmented[i] - together[a.length * (together.length / packed.length) + i]));
            }
            org.junit.jupiter.api.Assertions.assertTrue(diff > 1e-3, "the mask matters: " + diff);
        }
    }

    @org.junit.jupiter.api.Test
    void theHeadOnChosenPositionsGivesTheirRowsOfTheFullLogits() throws Exception {
        Path model = dir.resolve("llama.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        int[] tokens = {1, 300, 301, 302, 303, 400, 401, 402};
        int[] segments = {0, 0, 0, 0, 0, 1, 1, 1};
        int[] positions = {6, 0, 3, 7};
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderModel decoder = new DecoderModel(DecoderWeights.load(gguf, m));
            int vocab = decoder.config().vocabSize();
            float[] full = decoder.logits(tokens, segments, m).toFloatArray();
            float[] chosen = decoder.logits(tokens, segments, positions, m).toFloatArray();
            assertEquals(positions.length * vocab, chosen.length);
            for (int r = 0; r < positions.length; r++) {
                for (int v = 0; v < vocab; v++) {
                    assertEquals(full[positions[r] * vocab + v], chosen[r * vocab + v], 1e-5f, "row " + r);
                }
            }
            var e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> decoder.logits(tokens, segments, new int[] {8}, m));
            assertEquals("position 8 is outside the sequence of 8 tokens", e.getMessage());
        }
    }

    private static float[] concat(float[] x, float[] y) {
        float[] out = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}
