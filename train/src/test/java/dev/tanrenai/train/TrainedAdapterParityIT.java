package dev.tanrenai.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraMerge;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.decoder.testing.Parity;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.LoraAdapterRef;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.train.loop.AdapterTrainer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The core parity checks again with an adapter trained in DJL and exported: (b) greedy decoding of
 * 64 tokens matches llama.cpp with the adapter loaded; (a) the last hidden state matches llama.cpp's
 * embedding of the model with the adapter folded in, max |Δ| < 1e-3.
 *
 * <p>The adapter is trained briefly (20 steps): one driven to heavy overfitting (40 steps at a higher
 * rate) makes the tiny qwen2 model's logits nearly tied 20 tokens in, where llama.cpp's f16 KV cache
 * rounding picks the other token; see {@code LoraParityIT}.
 */
class TrainedAdapterParityIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void aDjlTrainedAdapterComputesInDjlWhatItComputesInLlamaCpp(String arch) throws Exception {
        TinyModelSpec spec = arch.equals("llama") ? TinyModelSpec.llamaDefault() : TinyModelSpec.qwen2Default();
        Path model = dir.resolve(arch + ".gguf");
        TinyModelMaker.write(spec, model);
        Path nativeDir = dir.resolve("native");
        Path adapter = dir.resolve(arch + "-trained.gguf");
        try (LlamaRuntime rt = LlamaRuntime.load(RuntimeOptions.defaults(model, nativeDir));
                GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            int[] text = Parity.withBos(1, rt.tokenize("the smith tempers the blade in oil and the blade holds"));
            boolean[] mask = new boolean[text.length];
            java.util.Arrays.fill(mask, 1, text.length, true);
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraWeights lora = LoraWeights.initialize(
                    new LoraConfig(8, 16f, 0f, EnumSet.allOf(LoraTarget.class), 3), weights.config(), m);
            AdapterTrainer trainer = new AdapterTrainer(weights, lora, 0f);
            for (int step = 0; step < 20; step++) {
                trainer.step(text, mask, 2e-3f, 1f, m);
            }
            lora.writeGguf(adapter);
        }
        try (LlamaRuntime base = LlamaRuntime.load(RuntimeOptions.defaults(model, nativeDir));
                LlamaRuntime adapted = LlamaRuntime.load(
                        RuntimeOptions.defaults(model, nativeDir).withAdapters(List.of(LoraAdapterRef.of(adapter))))) {
            assertNotEquals(
                    base.complete(GenerationRequest.greedy("the smith", 32)).text(),
                    adapted.complete(GenerationRequest.greedy("the smith", 32)).text(),
                    "the trained adapter changes llama.cpp's output, or the checks below prove nothing");
        }
        int longest = 0;
        for (String prompt :
                new String[] {"the smith", "in the house there is a", "<|im_start|>user\nhi<|im_end|>\n"}) {
            longest = Math.max(longest, Parity.checkGreedy(model, adapter, nativeDir, prompt, 64));
        }
        assertEquals(64, longest, "at least one prompt runs the full 64 tokens");

        Path merged = dir.resolve(arch + "-merged.gguf");
        LoraMerge.write(model, adapter, merged);
        for (String text : new String[] {"the smith tempers", "a blade", "<|im_start|>assistant\nok"}) {
            double diff = Parity.checkHiddenState(model, adapter, merged, nativeDir, text, 1e-3);
            assertTrue(diff < 1e-3, text + ": " + diff);
        }
        double baseDiff = Parity.checkHiddenState(model, null, model, nativeDir, "the smith tempers", 1e-3);
        assertTrue(baseDiff < 1e-3);
    }
}
