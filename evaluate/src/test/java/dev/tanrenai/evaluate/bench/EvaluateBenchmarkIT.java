package dev.tanrenai.evaluate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.decoder.Precision;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluate benchmark's library on a tiny generated llama with one or two timed repetitions:
 * structure and positive numbers only (timings are never asserted), the token counts it derives from
 * the scorer, the adapters it writes, and the cached champion halving the second evaluation's work.
 */
class EvaluateBenchmarkIT {

    @TempDir
    static Path dir;

    private static final TinyModelSpec SPEC = TinyModelSpec.llamaDefault();
    private static Path model;
    private static RuntimeOptions runtime;

    @BeforeAll
    static void makeModel() throws Exception {
        model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(SPEC, model);
        runtime = RuntimeOptions.defaults(model, dir.resolve("native")).withContextLength(512);
    }

    @Test
    void theFourForwardPassesInEachPrecisionCountEveryTokenOfEverySequence() throws Exception {
        EvaluateBenchmark.Result r =
                EvaluateBenchmark.run(model, LoraConfig.defaults(42), 128, 3, 1, 2, runtime, dir.resolve("fwd"));
        List<String> modes = List.of(
                EvaluateBenchmark.PLAIN,
                EvaluateBenchmark.PLAIN_DJL,
                EvaluateBenchmark.KEEP_TOP_K,
                EvaluateBenchmark.WITH_REFERENCE);
        assertEquals(
                List.of(modes, modes).stream().flatMap(List::stream).toList(),
                r.passes().stream().map(EvaluateBenchmark.Pass::mode).toList());
        assertEquals(
                List.of(
                        Precision.FLOAT32,
                        Precision.FLOAT32,
                        Precision.FLOAT32,
                        Precision.FLOAT32,
                        Precision.BFLOAT16,
                        Precision.BFLOAT16,
                        Precision.BFLOAT16,
                        Precision.BFLOAT16),
                r.passes().stream().map(EvaluateBenchmark.Pass::precision).toList());
        assertEquals(
                Precision.BFLOAT16,
                r.pass(EvaluateBenchmark.PLAIN, Precision.BFLOAT16).precision());
        for (EvaluateBenchmark.Pass p : r.passes()) {
            assertEquals(3 * 128, p.tokens(), p.mode()); // every token of the three sequences of 128
            assertEquals(2, p.repetitions());
            assertTrue(p.tokensPerSecond() > 0, p.mode());
            assertEquals(p.tokens() / p.seconds(), p.tokensPerSecond(), 1e-9 * p.tokensPerSecond());
        }
        assertEquals(3, r.sequencesPerPass(), "the three sequences side by side in one pass, as an evaluation batches");
        assertEquals("llama", r.architecture());
        assertEquals(Math.min(ScoringSettings.DEFAULT_KL_TOP_K, SPEC.vocabSize()), r.klTopK());
        assertTrue(r.meanKl() > 0, "two different random adapters disagree: " + r.meanKl());
        assertTrue(r.meanKlBf16() > 0, "also in bf16: " + r.meanKlBf16());
        PrecisionAccuracy a = r.bf16Accuracy();
        assertEquals(3 * 127, a.tokens(), "every scored token of the candidate is compared");
        assertTrue(a.maxAbsLogProb() > 0 && a.maxAbsLogProb() <= 0.05, a.toString());
        assertTrue(a.meanAbsLogProb() > 0 && a.meanAbsLogProb() <= a.maxAbsLogProb(), a.toString());
        assertTrue(Math.abs(a.meanLogProbShift()) <= a.meanAbsLogProb(), a.toString());
        assertTrue(a.maxAbsPairedShift() <= 0.002, a.toString());
        assertTrue(
                a.pairedFp32() != 0 && Math.abs(a.pairedBf16() - a.pairedFp32()) <= a.maxAbsPairedShift(),
                a.toString());
        assertTrue(r.peakRssBytes() > 0);
    }

    @Test
    void aSequenceLongerThanTheModelsContextIsRefused() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> EvaluateBenchmark.run(
                        model, LoraConfig.defaults(42), 1024, 1, 0, 1, runtime, dir.resolve("long")));
        assertTrue(e.getMessage().contains("context of 512"), e.getMessage());
    }

    @Test
    void randomAdaptersHaveTheShapeTheDecoderLoadsAndDependOnlyOnTheSeed() throws Exception {
        LoraConfig lora = LoraConfig.defaults(42);
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        Path c = dir.resolve("c.gguf");
        RandomAdapter.write(model, lora, 0.02f, 3, a);
        RandomAdapter.write(model, lora, 0.02f, 3, b);
        RandomAdapter.write(model, lora, 0.02f, 4, c);
        assertEquals(Sha256.ofFile(a), Sha256.ofFile(b));
        assertNotEquals(Sha256.ofFile(a), Sha256.ofFile(c));
        try (NDManager m = NDManager.newBaseManager();
                GgufFile gguf = GgufFile.open(a)) {
            LoraWeights w = LoraWeights.loadFrozen(a, m);
            assertEquals(8, w.config().rank());
            assertEquals(16f, w.config().alpha());
            assertEquals(
                    EnumSet.of(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.O),
                    w.config().targets());
            assertEquals(SPEC.blockCount() * 4, w.pairsByTensor().size());
            // k of a GQA model: ggml [r, nOut] with nOut = kv heads * head dim = 2 * 16
            assertEquals(
                    List.of(8L, 32L),
                    java.util.Arrays.stream(
                                    gguf.tensor("blk.1.attn_k.weight.lora_b").shape())
                            .boxed()
                            .toList());
            float[] values = gguf.dequantize("blk.0.attn_q.weight.lora_a");
            double sq = 0;
            for (float v : values) {
                assertTrue(Math.abs(v) <= 0.02 * Math.sqrt(3) + 1e-7, "uniform in ±std·√3: " + v);
                sq += v * v;
            }
            assertEquals(0.02, Math.sqrt(sq / values.length), 0.002, "standard deviation of 512 uniform draws");
        }
    }

    @Test
    void theSecondEvaluationScoresOnlyTheNewCandidate() throws Exception {
        CachedChampionBenchmark.Result r = CachedChampionBenchmark.run(
                model,
                LoraConfig.defaults(42),
                8,
                6,
                new ScoringSettings(256, 1024, 16),
                runtime,
                dir.resolve("cache"));
        assertEquals(List.of("heldout", "general"), r.suites());
        assertEquals(0, r.first().cacheHits());
        assertTrue(r.first().scoredTokens() > 0);
        assertEquals(2, r.second().cacheHits(), "the champion's run of each suite comes from the cache");
        // each model scores the same tokens of the same suites: the second run scores exactly half
        assertEquals(r.first().scoredTokens(), 2 * r.second().scoredTokens());
        assertNotEquals(r.first().evaluationId(), r.second().evaluationId());
    }
}
