package dev.tanrenai.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufWriter;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecoderConfigTest {

    @TempDir
    Path dir;

    private DecoderConfig read(TinyModelSpec spec) throws Exception {
        Path file = dir.resolve(spec.architecture() + ".gguf");
        TinyModelMaker.write(spec, file);
        try (GgufFile gguf = GgufFile.open(file)) {
            return DecoderConfig.from(gguf.metadata(), spec.vocabSize());
        }
    }

    @Test
    void readsBothArchitectures() throws Exception {
        DecoderConfig llama = read(TinyModelSpec.llamaDefault());
        assertEquals("llama", llama.architecture());
        assertEquals(RopeStyle.NORM, llama.ropeStyle());
        assertFalse(llama.attentionBiases());
        assertEquals(64, llama.dim());
        assertEquals(4, llama.headCount());
        assertEquals(2, llama.headCountKv());
        assertEquals(16, llama.headDim());
        assertEquals(16, llama.ropeDim());
        assertEquals(1f, llama.ropeFreqScale());

        DecoderConfig qwen = read(TinyModelSpec.qwen2Default());
        assertEquals(RopeStyle.NEOX, qwen.ropeStyle());
        assertTrue(qwen.attentionBiases());
        assertEquals(1_000_000f, qwen.ropeFreqBase());
    }

    @Test
    void unsupportedArchitecturesAndScalingsAreNamed() throws Exception {
        Path file = dir.resolve("gemma.gguf");
        new GgufWriter().putString("general.architecture", "gemma").write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            UnsupportedModelException e =
                    assertThrows(UnsupportedModelException.class, () -> DecoderConfig.from(gguf.metadata(), 10));
            assertEquals(
                    "architecture 'gemma' is not supported for training (supported: llama, qwen2)", e.getMessage());
        }
        Path yarn = dir.resolve("yarn.gguf");
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUint32("llama.embedding_length", 64)
                .putUint32("llama.attention.head_count", 4)
                .putString("llama.rope.scaling.type", "yarn")
                .write(yarn);
        try (GgufFile gguf = GgufFile.open(yarn)) {
            UnsupportedModelException e =
                    assertThrows(UnsupportedModelException.class, () -> DecoderConfig.from(gguf.metadata(), 10));
            assertTrue(e.getMessage().startsWith("rope scaling 'yarn' is not supported"), e.getMessage());
        }
    }
}
