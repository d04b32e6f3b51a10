package dev.tanrenai.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training is repeatable: the same seed and data give the same losses and adapter bytes (MKL_CBWR is set). */
class AdapterTrainerTest {

    private static final int[] TOKENS = {1, 300, 301, 302, 303, 304, 305, 306, 307, 308};
    private static final boolean[] MASK = {false, false, false, false, true, true, true, true, true, true};

    @TempDir
    Path dir;

    private float[] train(Path model, Path out) throws Exception {
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraWeights lora = LoraWeights.initialize(
                    new LoraConfig(8, 16f, 0f, EnumSet.allOf(LoraTarget.class), 42), weights.config(), m);
            AdapterTrainer trainer = new AdapterTrainer(weights, lora, 0f);
            float[] losses = new float[25];
            for (int i = 0; i < losses.length; i++) {
                losses[i] = trainer.step(TOKENS, MASK, 5e-3f, 1f, m);
            }
            lora.writeGguf(out);
            return losses;
        }
    }

    @Test
    void sameSeedSameLossesSameAdapter() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        float[] first = train(model, dir.resolve("a.gguf"));
        float[] second = train(model, dir.resolve("b.gguf"));
        assertArrayEquals(first, second);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.gguf")), Files.readAllBytes(dir.resolve("b.gguf")));
        assertTrue(first[first.length - 1] < first[0] / 5, "the loss falls");
    }

    @Test
    void aMaskSelectingNothingIsRefused() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraWeights lora = LoraWeights.initialize(LoraConfig.defaults(1), weights.config(), m);
            AdapterTrainer trainer = new AdapterTrainer(weights, lora, 0f);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> trainer.step(new int[] {1, 2, 3}, new boolean[3], 1e-3f, 0f, m));
            assertTrue(e.getMessage().contains("selects no token"), e.getMessage());
        }
    }
}
