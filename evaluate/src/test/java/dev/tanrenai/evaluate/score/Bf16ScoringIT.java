package dev.tanrenai.evaluate.score;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.decoder.Precision;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.evaluate.bench.PrecisionAccuracy;
import dev.tanrenai.evaluate.bench.RandomAdapter;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bf16 scoring on a generated tiny llama with two random rank-8 q/k/v/o adapters: per-token
 * log-probabilities and the paired candidate − champion difference stay within the stated tolerances of
 * float32 (see {@link PrecisionCheck} for what must hold exactly).
 */
class Bf16ScoringIT {

    /** Largest per-token |log p(bf16) − log p(fp32)| allowed, nats (measured 0.015). */
    static final double MAX_ABS_LOG_PROB = 0.05;

    /** Mean per-token |Δ log p| allowed, nats (measured about 0.003). */
    static final double MEAN_ABS_LOG_PROB = 0.01;

    /** Largest per-sequence change of the paired mean log-prob difference, nats/token (measured 0.001). */
    static final double MAX_PAIRED_SHIFT = 0.002;

    @TempDir
    Path dir;

    @Test
    void bf16ScoresStayWithinTheStatedToleranceOfFloat32() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        TinyModelMaker.write(spec, model);
        Path champion = dir.resolve("champion.gguf");
        Path candidate = dir.resolve("candidate.gguf");
        RandomAdapter.write(model, LoraConfig.defaults(42), 0.02f, 1, champion);
        RandomAdapter.write(model, LoraConfig.defaults(42), 0.02f, 2, candidate);
        SplittableRandom random = new SplittableRandom(11);
        List<ScoringRequest> requests = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            requests.add(ScoringRequest.all(
                    "seq-" + r, random.ints(200, 0, spec.vocabSize()).toArray()));
        }
        RuntimeOptions runtime = RuntimeOptions.defaults(model, dir.resolve("native"));
        ModelUnderTest cand = ModelUnderTest.ofFiles(model, candidate);
        ScoringSettings settings = new ScoringSettings(128, 256, 16, Precision.BFLOAT16); // windows and packing too
        try (ScoringSession session = ScoringSession.open(cand, runtime, settings)) {
            PrecisionAccuracy a = PrecisionCheck.run(session, cand, ModelUnderTest.ofFiles(model, champion), requests);
            System.out.println("tiny llama, bf16 vs fp32: " + a);
            assertTrue(a.tokens() == 6 * 199, "every token after the first is scored: " + a.tokens());
            assertTrue(a.maxAbsLogProb() > 0, "bf16 changes something");
            assertTrue(a.maxAbsLogProb() <= MAX_ABS_LOG_PROB, a.toString());
            assertTrue(a.meanAbsLogProb() <= MEAN_ABS_LOG_PROB, a.toString());
            assertTrue(a.maxAbsPairedShift() <= MAX_PAIRED_SHIFT, a.toString());
        }
    }
}
