package dev.tanrenai.decoder.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.decoder.DecoderModel;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.runtime.Completion;
import dev.tanrenai.models.runtime.EmbeddingPooling;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.LoraAdapterRef;
import dev.tanrenai.models.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The two parity checks between DJL and llama.cpp on one GGUF, shared by the tiny and real-model tiers. */
public final class Parity {
    private Parity() {}

    /**
     * DJL's final hidden state of the last token equals llama.cpp's LAST-pooled embedding. llama.cpp
     * prepends BOS and L2-normalises pooled embeddings, so DJL's input and output get the same.
     *
     * @return the largest absolute difference seen
     */
    public static double checkHiddenState(Path model, Path nativeDir, String text, double tolerance) throws Exception {
        return checkHiddenState(model, null, model, nativeDir, text, tolerance);
    }

    /**
     * As {@link #checkHiddenState(Path, Path, String, double)} for the base model with a LoRA adapter
     * in DJL, against llama.cpp running {@code merged}, the adapter folded into the base (llama.cpp's
     * embeddings ignore loaded adapters).
     */
    public static double checkHiddenState(
            Path model, Path adapter, Path merged, Path nativeDir, String text, double tolerance) throws Exception {
        try (LlamaRuntime rt = LlamaRuntime.load(
                        RuntimeOptions.defaults(merged, nativeDir).withEmbeddings(EmbeddingPooling.LAST));
                GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            float[] expected = rt.embed(text);
            int bos = gguf.metadata().getInt("tokenizer.ggml.bos_token_id");
            LoraWeights lora = adapter == null ? null : LoraWeights.load(adapter, m, 0);
            DecoderModel djl = new DecoderModel(DecoderWeights.load(gguf, m), lora);
            float[] actual =
                    normalized(djl.forward(withBos(bos, rt.tokenize(text)), m).lastHidden());
            assertEquals(expected.length, actual.length, "embedding width");
            double maxDiff = 0;
            for (int i = 0; i < actual.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            }
            assertTrue(maxDiff < tolerance, model.getFileName() + ": max |Δ| " + maxDiff + " for '" + text + "'");
            return maxDiff;
        }
    }

    /**
     * Greedy decoding of {@code n} tokens gives the same text in DJL and llama.cpp (up to an
     * end-of-generation token, where llama.cpp stops).
     *
     * @return how many tokens DJL generated before the end (or {@code n})
     */
    public static int checkGreedy(Path model, Path nativeDir, String prompt, int n) throws Exception {
        return checkGreedy(model, null, nativeDir, prompt, n);
    }

    /** As {@link #checkGreedy(Path, Path, String, int)}, with a LoRA adapter loaded on both sides (may be null). */
    public static int checkGreedy(Path model, Path adapter, Path nativeDir, String prompt, int n) throws Exception {
        RuntimeOptions options = RuntimeOptions.defaults(model, nativeDir);
        if (adapter != null) {
            options = options.withAdapters(List.of(LoraAdapterRef.of(adapter)));
        }
        try (LlamaRuntime rt = LlamaRuntime.load(options);
                GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            Completion expected = rt.complete(GenerationRequest.greedy(prompt, n));
            int bos = gguf.metadata().getInt("tokenizer.ggml.bos_token_id");
            Set<Integer> endOfGeneration = Set.of(
                    gguf.metadata().getInt("tokenizer.ggml.eos_token_id"),
                    gguf.metadata().optionalInt("tokenizer.ggml.eot_token_id").orElse(-1));
            LoraWeights lora = adapter == null ? null : LoraWeights.load(adapter, m, 0);
            int[] generated = new DecoderModel(DecoderWeights.load(gguf, m), lora)
                    .greedy(withBos(bos, rt.tokenize(prompt)), n, m);
            int end = 0;
            while (end < generated.length && !endOfGeneration.contains(generated[end])) {
                end++;
            }
            int[] tokens = Arrays.copyOf(generated, end);
            assertEquals(
                    expected.text(),
                    rt.detokenize(tokens),
                    model.getFileName() + ": greedy text for '" + prompt + "', DJL tokens "
                            + Arrays.toString(generated));
            return end;
        }
    }

    public static int[] withBos(int bos, int[] tokens) {
        int[] out = new int[tokens.length + 1];
        out[0] = bos;
        System.arraycopy(tokens, 0, out, 1, tokens.length);
        return out;
    }

    public static float[] normalized(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}
