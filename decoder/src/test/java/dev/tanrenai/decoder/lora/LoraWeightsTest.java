package dev.tanrenai.decoder.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.decoder.DecoderModel;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraWeightsTest {

    @TempDir
    Path dir;

    @Test
    void aNewAdapterChangesNothingAndWritesDeterministically() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.qwen2Default(), model);
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraConfig config = new LoraConfig(4, 8f, 0f, EnumSet.allOf(LoraTarget.class), 3);
            LoraWeights lora = LoraWeights.initialize(config, weights.config(), m);
            int[] tokens = {1, 300, 301, 302};
            assertArrayEquals(
                    new DecoderModel(weights).forward(tokens, m).lastLogits(),
                    new DecoderModel(weights, lora).forward(tokens, m).lastLogits(),
                    "B starts at zero: a new adapter is the identity");
            assertEquals(4, lora.pair(0, LoraTarget.K).a().getShape().get(0), "A has rank rows");
            assertEquals(32, lora.pair(0, LoraTarget.K).b().getShape().get(0), "K's output is kvHeads*headDim");
            assertTrue(lora.pair(0, LoraTarget.Q).a().hasGradient(), "the factors are trainable");

            Path first = dir.resolve("a.gguf");
            Path second = dir.resolve("b.gguf");
            lora.writeGguf(first);
            LoraWeights.initialize(config, weights.config(), m).writeGguf(second);
            assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), "same seed, same bytes");
        }
    }

    @Test
    void configIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(0, 1f, 0f, EnumSet.of(LoraTarget.Q), 1));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(4, 1f, 1f, EnumSet.of(LoraTarget.Q), 1));
        assertThrows(
                IllegalArgumentException.class, () -> new LoraConfig(4, 1f, 0f, EnumSet.noneOf(LoraTarget.class), 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoraTarget.fromName("qkv"));
        assertEquals("unknown LoRA target 'qkv' (expected q, k, v, o, gate, up, down)", e.getMessage());
        assertEquals(LoraTarget.DOWN, LoraTarget.fromName(" down "));
    }
}
