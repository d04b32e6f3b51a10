package dev.tanrenai.evaluate.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.decoder.Precision;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.evaluate.bench.CachedChampionBenchmark;
import dev.tanrenai.evaluate.bench.PrecisionAccuracy;
import dev.tanrenai.evaluate.bench.RandomAdapter;
import dev.tanrenai.evaluate.probes.ProbeSuiteRealModelIT;
import dev.tanrenai.evaluate.suite.GeneralText;
import dev.tanrenai.models.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bf16 scoring of the real stories260K on TinyStories text (the bundled validation slice), with two
 * random rank-8 q/k/v/o adapters: per-token log-probabilities and the paired candidate − champion
 * difference stay within the stated tolerances of float32.
 */
class Bf16ScoringRealModelIT {

    /** Largest per-token |log p(bf16) − log p(fp32)| allowed, nats (measured 0.116). */
    static final double MAX_ABS_LOG_PROB = 0.25;

    /** Mean per-token |Δ log p| allowed, nats (measured 0.0093). */
    static final double MEAN_ABS_LOG_PROB = 0.02;

    /**
     * Largest per-document change of the paired mean log-prob difference, nats/token (measured 0.0065,
     * with the mean paired difference of the 32 documents moving from 0.0023 to 0.0029).
     */
    static final double MAX_PAIRED_SHIFT = 0.015;

    @TempDir
    Path dir;

    @Test
    void bf16ScoresOfStories260KStayWithinTheStatedToleranceOfFloat32() throws Exception {
        Path model = ProbeSuiteRealModelIT.stories260K();
        Path champion = dir.resolve("champion.gguf");
        Path candidate = dir.resolve("candidate.gguf");
        RandomAdapter.write(model, LoraConfig.defaults(42), 0.02f, 1, champion);
        RandomAdapter.write(model, LoraConfig.defaults(42), 0.02f, 2, candidate);
        RuntimeOptions runtime = RuntimeOptions.defaults(model, Path.of(System.getProperty("java.io.tmpdir"), "native"))
                .withContextLength(512);
        ModelUnderTest cand = ModelUnderTest.ofFiles(model, candidate);
        GeneralText text = GeneralText.resource("tinystories-val-head.txt", CachedChampionBenchmark.GENERAL_RESOURCE);
        try (ScoringSession session =
                ScoringSession.open(cand, runtime, ScoringSettings.defaults().withPrecision(Precision.BFLOAT16))) {
            List<ScoringRequest> requests = new ArrayList<>();
            for (GeneralText.Document d : text.documents().subList(0, 32)) {
                int[] body = session.tokenizer().tokenize(d.text());
                int[] tokens = new int[body.length + 1];
                tokens[0] = session.bos();
                System.arraycopy(body, 0, tokens, 1, body.length);
                requests.add(ScoringRequest.all(d.id(), tokens));
            }
            PrecisionAccuracy a = PrecisionCheck.run(session, cand, ModelUnderTest.ofFiles(model, champion), requests);
            System.out.println("stories260K on TinyStories, bf16 vs fp32: " + a);
            assertEquals(
                    requests.stream().mapToLong(r -> r.scoredCount()).sum(), a.tokens(), "every token is compared");
            assertTrue(a.maxAbsLogProb() > 0, "bf16 changes something");
            assertTrue(a.maxAbsLogProb() <= MAX_ABS_LOG_PROB, a.toString());
            assertTrue(a.meanAbsLogProb() <= MEAN_ABS_LOG_PROB, a.toString());
            assertTrue(a.maxAbsPairedShift() <= MAX_PAIRED_SHIFT, a.toString());
        }
    }
}
