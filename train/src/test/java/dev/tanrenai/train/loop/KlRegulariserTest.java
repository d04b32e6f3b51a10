package dev.tanrenai.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KL-to-base term keeps the adapted model close to the base on replay tokens: trained on new
 * data with it, the model drifts less there than trained without it.
 */
class KlRegulariserTest {

    private static final int[] NEW = {1, 300, 301, 302, 303, 304, 305, 306, 307, 308, 309};
    private static final int[] REPLAY = {1, 400, 410, 420, 430, 440, 450, 460, 470};

    @TempDir
    Path dir;

    /** Trains 30 steps on NEW (and REPLAY with KL weight {@code beta}); returns the KL on REPLAY after. */
    private double driftOnReplay(Path model, float beta) throws Exception {
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraWeights lora = LoraWeights.initialize(
                    new LoraConfig(8, 16f, 0f, EnumSet.allOf(LoraTarget.class), 3), weights.config(), m);
            AdapterTrainer trainer = new AdapterTrainer(weights, lora, 0f);
            PackedSequence newData = sequence(NEW, true, false);
            PackedSequence replay = sequence(REPLAY, false, true); // replay tokens, no cross-entropy
            assertEquals(0.0, trainer.accumulate(replay, 0f, 1f, m).klSum(), 1e-6, "a fresh adapter is the base");
            trainer.applyStep(0f + Float.MIN_NORMAL, 1f);
            for (int step = 0; step < 30; step++) {
                trainer.accumulate(newData, 1f / newData.trainedTokens(), 0f, m);
                if (beta > 0) {
                    trainer.accumulate(replay, 0f, beta / (REPLAY.length - 1), m);
                }
                trainer.applyStep(1e-2f, 1f);
            }
            AdapterTrainer.Contribution after = trainer.accumulate(replay, 0f, 1f, m);
            return after.klSum() / after.klTokens();
        }
    }

    private static PackedSequence sequence(int[] tokens, boolean trained, boolean replay) {
        boolean[] mask = new boolean[tokens.length];
        boolean[] replayFlags = new boolean[tokens.length];
        for (int i = 1; i < tokens.length; i++) {
            mask[i] = trained;
            replayFlags[i] = replay;
        }
        replayFlags[0] = replay;
        return new PackedSequence(tokens, mask, replayFlags, new int[tokens.length], List.of("s"));
    }

    @Test
    void theKlTermKeepsReplayPredictionsCloseToTheBase() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        double free = driftOnReplay(model, 0f);
        double held = driftOnReplay(model, 1f);
        assertTrue(free > 1e-3, "without the term, learning new data moves replay predictions: " + free);
        assertTrue(held < free / 3, "with it they stay closer to the base: " + held + " vs " + free);
    }
}
