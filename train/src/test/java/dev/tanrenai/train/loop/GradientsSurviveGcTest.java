package dev.tanrenai.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.train.data.PackedSequence;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A garbage collection between the forward and the backward pass changes nothing. It did: DJL's
 * scalar arithmetic frees the scalar that autograd keeps for backward (see {@code Scalars}), and
 * a collection there turned the attention gradients into NaN.
 */
class GradientsSurviveGcTest {

    @TempDir
    Path dir;

    @AfterEach
    void resetHook() {
        AdapterTrainer.beforeBackward = () -> {};
    }

    private float[] losses(Path model, boolean collect) throws Exception {
        AdapterTrainer.beforeBackward = collect ? GradientsSurviveGcTest::collectGarbage : () -> {};
        int[] tokens = {1, 300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310};
        boolean[] mask = new boolean[tokens.length];
        java.util.Arrays.fill(mask, 4, tokens.length, true);
        PackedSequence s =
                new PackedSequence(tokens, mask, new boolean[tokens.length], new int[tokens.length], List.of("gc"));
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraWeights lora = LoraWeights.initialize(
                    new LoraConfig(4, 8f, 0f, EnumSet.allOf(LoraTarget.class), 1), weights.config(), m);
            AdapterTrainer trainer = new AdapterTrainer(weights, lora, 0f);
            float[] losses = new float[30];
            for (int i = 0; i < losses.length; i++) {
                losses[i] = (float)
                        trainer.accumulate(s, 1f / s.trainedTokens(), 0f, m).crossEntropySum();
                trainer.applyStep(1e-2f, 1f);
            }
            return losses;
        }
    }

    private static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            byte[][] churn = new byte[64][];
            for (int j = 0; j < churn.length; j++) {
                churn[j] = new byte[1 << 16];
            }
        }
    }

    @Test
    void trainingIsTheSameWithAndWithoutACollectionBeforeBackward() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        float[] quiet = losses(model, false);
        float[] collected = losses(model, true);
        for (int i = 0; i < quiet.length; i++) {
            assertEquals(quiet[i], collected[i], "loss of step " + (i + 1));
        }
    }
}
