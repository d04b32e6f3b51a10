package dev.tanrenai.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.models.gguf.GgufRewrite;
import dev.tanrenai.models.gguf.GgufValue;
import dev.tanrenai.models.testing.TestGgufFiles;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.models.validate.ModelValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of issue 11 that made llama.cpp abort the JVM (SIGABRT) or print {@code ################}
 * are refused by {@link LlamaRuntime#load} with a {@link ModelLoadException} naming the key or tensor,
 * and this JVM keeps running. Without the validation this test class dies with the fork.
 */
class ModelValidationIT {
    @TempDir
    static Path dir;

    static Path llama;

    @BeforeAll
    static void write() throws IOException {
        llama = dir.resolve("llama.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), llama);
    }

    static RuntimeOptions options(Path model) {
        return RuntimeOptions.defaults(model, dir.resolve("native")).withContextLength(256);
    }

    @Test
    void theThreeBaseModelsThatAbortedLlamaCppAreRefused() throws IOException {
        List<Object[]> cases = List.of(
                new Object[] {"llama.block_count", GgufValue.uint32(0)},
                new Object[] {"llama.attention.layer_norm_rms_epsilon", GgufValue.float32(-1f)},
                new Object[] {"llama.attention.layer_norm_rms_epsilon", GgufValue.float32(Float.NaN)});
        for (Object[] c : cases) {
            Path bad = dir.resolve("bad-" + cases.indexOf(c) + ".gguf");
            GgufRewrite.of(llama).set((String) c[0], (GgufValue) c[1]).write(bad);
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> LlamaRuntime.load(options(bad)));
            assertEquals(bad, e.file());
            ModelValidationException cause = assertInstanceOf(ModelValidationException.class, e.getCause());
            assertEquals(c[0], cause.subject());
            assertTrue(e.getMessage().contains("refused before llama.cpp sees it"), e.getMessage());
        }
        try (LlamaRuntime good = LlamaRuntime.load(options(llama))) {
            assertTrue(good.tokenize("still alive").length > 0, "the JVM and llama.cpp still work");
        }
    }

    @Test
    void aNonFiniteAdapterIsRefusedInsteadOfGeneratingHashes() throws IOException {
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        Path adapter = dir.resolve("adapter.gguf");
        TestGgufFiles.writeLoraAdapter(
                adapter, "llama", spec.blockCount(), spec.embeddingLength(), spec.feedForwardLength(), 4, 0.1f, 5);
        for (float alpha : new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1e30f}) {
            Path bad = dir.resolve("alpha-" + alpha + ".gguf");
            GgufRewrite.of(adapter)
                    .set("adapter.lora.alpha", GgufValue.float32(alpha))
                    .write(bad);
            RuntimeOptions options = options(llama).withAdapters(List.of(LoraAdapterRef.of(bad)));
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> LlamaRuntime.load(options));
            assertEquals(bad, e.file());
            assertTrue(e.getMessage().contains("adapter.lora.alpha"), e.getMessage());
        }
        RuntimeOptions ok = options(llama).withAdapters(List.of(LoraAdapterRef.of(adapter)));
        try (LlamaRuntime runtime = LlamaRuntime.load(ok)) {
            Completion c = runtime.complete(GenerationRequest.greedy("Hello", 8).withTimeout(Duration.ofSeconds(30)));
            assertFalse(c.text().isEmpty(), "the sound adapter still loads and generates");
        }
    }
}
