package dev.tanrenai.decoder.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.decoder.testing.Parity;
import dev.tanrenai.decoder.testing.RandomAdapters;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.LoraAdapterRef;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A LoRA adapter applied in DJL gives what llama.cpp gives with the same adapter GGUF loaded
 * (greedy decoding: java-llama.cpp 4.2.0's embeddings ignore adapters), and Tanrenai's adapter
 * GGUF round-trips.
 *
 * <p>The random adapters are of a trained adapter's magnitude (factors ~N(0, 0.1²)). Much larger
 * ones (0.3) blow up a random tiny model's activations until llama.cpp's f16 KV cache rounding
 * flips near-tied argmaxes 20+ tokens into a sequence; that is precision, not a difference in the
 * computation.
 */
class LoraParityIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void adaptedGreedyDecodingMatchesLlamaCpp(String arch) throws Exception {
        TinyModelSpec spec =
                (arch.equals("llama") ? TinyModelSpec.llamaDefault() : TinyModelSpec.qwen2Default()).withSeed(7);
        Path model = dir.resolve(arch + ".gguf");
        TinyModelMaker.write(spec, model);
        Path adapter = dir.resolve(arch + "-lora.gguf");
        RandomAdapters.write(spec, EnumSet.allOf(LoraTarget.class), 4, 8f, 0.1f, 5, adapter);

        String prompt = "the cat is";
        try (LlamaRuntime base = LlamaRuntime.load(RuntimeOptions.defaults(model, dir.resolve("native")));
                LlamaRuntime adapted = LlamaRuntime.load(RuntimeOptions.defaults(model, dir.resolve("native"))
                        .withAdapters(List.of(LoraAdapterRef.of(adapter))))) {
            assertNotEquals(
                    base.complete(GenerationRequest.greedy(prompt, 32)).text(),
                    adapted.complete(GenerationRequest.greedy(prompt, 32)).text(),
                    "the adapter must change the output, or the comparison below proves nothing");
        }
        int longest = 0;
        for (String p : new String[] {prompt, "in the house there is a", "<|im_start|>user\nhello<|im_end|>\n"}) {
            longest = Math.max(longest, Parity.checkGreedy(model, adapter, dir.resolve("native"), p, 64));
        }
        assertEquals(64, longest, "at least one prompt runs the full 64 tokens");
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama"})
    void adapterGgufRoundTrips(String arch) throws Exception {
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        Path adapter = dir.resolve("in.gguf");
        RandomAdapters.write(spec, EnumSet.of(LoraTarget.Q, LoraTarget.DOWN), 3, 6f, 0.2f, 9, adapter);
        Path again = dir.resolve("out.gguf");
        try (NDManager m = NDManager.newBaseManager()) {
            LoraWeights lora = LoraWeights.load(adapter, m, 0);
            assertEquals(3, lora.config().rank());
            assertEquals(6f, lora.config().alpha());
            assertEquals(
                    EnumSet.of(LoraTarget.Q, LoraTarget.DOWN), lora.config().targets());
            lora.writeGguf(again);
        }
        try (GgufFile in = GgufFile.open(adapter);
                GgufFile out = GgufFile.open(again)) {
            assertEquals(in.tensors().size(), out.tensors().size());
            for (GgufTensorInfo t : in.tensors()) {
                assertArrayEquals(t.shape(), out.tensor(t.name()).shape(), t.name());
                assertArrayEquals(in.dequantize(t.name()), out.dequantize(t.name()), t.name());
            }
            assertEquals(
                    in.metadata().getFloat("adapter.lora.alpha"), out.metadata().getFloat("adapter.lora.alpha"));
        }
    }
}
