package dev.tanrenai.evaluate.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.decoder.ForwardEngine;
import dev.tanrenai.decoder.Precision;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.evaluate.bench.CachedChampionBenchmark;
import dev.tanrenai.evaluate.bench.RandomAdapter;
import dev.tanrenai.evaluate.probes.ProbeSuiteRealModelIT;
import dev.tanrenai.evaluate.suite.GeneralText;
import dev.tanrenai.models.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TorchScript scoring pass on the real stories260K (TinyStories text, an adapter on every
 * projection, windows packed several per pass) gives the DJL ops' per-token log-probabilities within
 * 1e-5 in float32, and follows them in bf16.
 */
class ScriptedScoringRealModelIT {

    @TempDir
    Path dir;

    @Test
    void theScriptedPassScoresStories260KAsTheDjlOpsDo() throws Exception {
        Path model = ProbeSuiteRealModelIT.stories260K();
        Path adapter = dir.resolve("adapter.gguf");
        RandomAdapter.write(model, new LoraConfig(8, 16f, 0f, EnumSet.allOf(LoraTarget.class), 42), 0.02f, 1, adapter);
        RuntimeOptions runtime = RuntimeOptions.defaults(model, Path.of(System.getProperty("java.io.tmpdir"), "native"))
                .withContextLength(512);
        ModelUnderTest adapted = ModelUnderTest.ofFiles(model, adapter);
        GeneralText text = GeneralText.resource("tinystories-val-head.txt", CachedChampionBenchmark.GENERAL_RESOURCE);
        ScoringSettings settings = new ScoringSettings(128, 512, 16); // long documents in windows, packed
        try (ScoringSession session = ScoringSession.open(adapted, runtime, settings)) {
            List<ScoringRequest> requests = new ArrayList<>();
            for (GeneralText.Document d : text.documents().subList(0, 24)) {
                int[] body = session.tokenizer().tokenize(d.text());
                int[] tokens = new int[body.length + 1];
                tokens[0] = session.bos();
                System.arraycopy(body, 0, tokens, 1, body.length);
                requests.add(ScoringRequest.all(d.id(), tokens));
            }
            for (Precision precision : Precision.values()) {
                List<SequenceScore> djl = session.scorer(adapted, precision, ForwardEngine.DJL)
                        .score(requests, false, null, session.manager(), TokenScorer.Progress.none());
                List<SequenceScore> script = session.scorer(adapted, precision)
                        .score(requests, false, null, session.manager(), TokenScorer.Progress.none());
                double max = 0;
                long tokens = 0;
                for (int r = 0; r < requests.size(); r++) {
                    float[] a = djl.get(r).logProbs();
                    float[] b = script.get(r).logProbs();
                    assertEquals(a.length, b.length);
                    for (int i = 0; i < a.length; i++) {
                        max = Math.max(max, Math.abs(a[i] - b[i]));
                    }
                    tokens += a.length;
                }
                System.out.println("stories260K, " + precision.key() + ", " + tokens
                        + " tokens: max |Δ log p| DJL ops vs TorchScript " + max);
                assertTrue(tokens > 2000, "enough text: " + tokens);
                // float32: the same operations in the same order (measured 0); bf16: a float32 rounding
                // difference could move a bf16 rounding (measured 0 too)
                assertTrue(max <= (precision == Precision.FLOAT32 ? 1e-5 : 1e-3), precision.key() + ": " + max);
            }
        }
    }
}
