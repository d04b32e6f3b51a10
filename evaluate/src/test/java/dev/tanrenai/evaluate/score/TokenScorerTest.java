package dev.tanrenai.evaluate.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.decoder.DecoderModel;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.ForwardEngine;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.decoder.testing.RandomAdapters;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packed, windowed, forward-only scorer gives what the decoder's own logits give for each sequence
 * alone; the expected values are computed here from {@link DecoderModel#logits} with a log-softmax in
 * double precision, not by the scorer.
 */
class TokenScorerTest {

    @TempDir
    Path dir;

    private final TinyModelSpec spec = TinyModelSpec.llamaDefault();
    private Path model;
    private Path adapter;

    @BeforeEach
    void models() throws Exception {
        model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(spec, model);
        adapter = dir.resolve("adapter.gguf");
        RandomAdapters.write(spec, EnumSet.of(LoraTarget.Q, LoraTarget.V, LoraTarget.DOWN), 4, 8f, 0.3f, 7, adapter);
    }

    @Test
    void packedScoresEqualEachSequenceAlone() throws Exception {
        List<ScoringRequest> requests = randomRequests(9, 40, 3);
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderModel decoder = new DecoderModel(DecoderWeights.load(gguf, m), LoraWeights.loadFrozen(adapter, m));
            // window >= every length: one window each, several packed per forward pass
            List<SequenceScore> scores = new TokenScorer(decoder, new ScoringSettings(64, 100, 8))
                    .score(requests, true, null, m, TokenScorer.Progress.none());
            for (int r = 0; r < requests.size(); r++) {
                ScoringRequest req = requests.get(r);
                double[][] expected = logSoftmax(decoder.logits(req.tokens(), m).toFloatArray(), spec.vocabSize());
                SequenceScore s = scores.get(r);
                int i = 0;
                for (int j = 1; j < req.length(); j++) {
                    if (!req.scored()[j]) {
                        continue;
                    }
                    double[] row = expected[j - 1];
                    assertEquals(row[req.tokens()[j]], s.logProbs()[i], 1e-4, req.id() + " position " + j);
                    assertEquals(argmax(row) == req.tokens()[j], s.greedy()[i], req.id() + " greedy at " + j);
                    assertEquals(argmax(row), s.topIds()[i * 8], req.id() + " top-1 at " + j);
                    assertEquals(row[s.topIds()[i * 8 + 7]], s.topLogProbs()[i * 8 + 7], 1e-4);
                    i++;
                }
                assertEquals(i, s.count());
            }
        }
    }

    @Test
    void longSequencesAreScoredOnceEachTokenInHalfWindowSteps() throws Exception {
        int[] tokens = randomTokens(new SplittableRandom(5), 70);
        ScoringRequest all = ScoringRequest.all("long", tokens);
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderModel decoder = new DecoderModel(DecoderWeights.load(gguf, m));
            SequenceScore s = new TokenScorer(decoder, new ScoringSettings(32, 32, 4))
                    .score(List.of(all), false, null, m, TokenScorer.Progress.none())
                    .get(0);
            assertEquals(69, s.count(), "every token after the first, once");
            // windows [0,32) scores 1..31; [16,48) scores 32..47; [32,64) scores 48..63; [48,70) scores 64..69
            int[][] windows = {{0, 32, 1}, {16, 48, 32}, {32, 64, 48}, {48, 70, 64}};
            for (int[] w : windows) {
                int[] slice = java.util.Arrays.copyOfRange(tokens, w[0], w[1]);
                double[][] expected = logSoftmax(decoder.logits(slice, m).toFloatArray(), spec.vocabSize());
                for (int j = w[2]; j < w[1]; j++) {
                    assertEquals(expected[j - w[0] - 1][tokens[j]], s.logProbs()[j - 1], 1e-4, "token " + j);
                }
            }
        }
    }

    @Test
    void klAgainstAReferenceIsZeroForTheSameModelAndExactWhenTopKCoversTheVocabulary() throws Exception {
        List<ScoringRequest> requests = randomRequests(4, 30, 11);
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            DecoderModel base = new DecoderModel(weights);
            DecoderModel adapted = new DecoderModel(weights, LoraWeights.loadFrozen(adapter, m));
            ScoringSettings whole = new ScoringSettings(64, 64, spec.vocabSize());
            List<SequenceScore> reference =
                    new TokenScorer(base, whole).score(requests, true, null, m, TokenScorer.Progress.none());
            List<SequenceScore> same =
                    new TokenScorer(base, whole).score(requests, false, reference, m, TokenScorer.Progress.none());
            List<SequenceScore> other =
                    new TokenScorer(adapted, whole).score(requests, false, reference, m, TokenScorer.Progress.none());
            ScoringSettings top4 = new ScoringSettings(64, 64, 4);
            List<SequenceScore> coarseReference =
                    new TokenScorer(base, top4).score(requests, true, null, m, TokenScorer.Progress.none());
            List<SequenceScore> coarse = new TokenScorer(adapted, top4)
                    .score(requests, false, coarseReference, m, TokenScorer.Progress.none());
            for (int r = 0; r < requests.size(); r++) {
                ScoringRequest req = requests.get(r);
                assertEquals(0.0, same.get(r).klSum(), "the same model diverges from itself by nothing");
                assertEquals(same.get(r).count(), same.get(r).top1Agreements());
                double[][] p = logSoftmax(base.logits(req.tokens(), m).toFloatArray(), spec.vocabSize());
                double[][] q = logSoftmax(adapted.logits(req.tokens(), m).toFloatArray(), spec.vocabSize());
                int i = 0;
                for (int j = 1; j < req.length(); j++) {
                    if (!req.scored()[j]) {
                        continue;
                    }
                    double kl = 0;
                    for (int v = 0; v < spec.vocabSize(); v++) {
                        kl += Math.exp(p[j - 1][v]) * (p[j - 1][v] - q[j - 1][v]);
                    }
                    assertEquals(kl, other.get(r).kl()[i], 1e-4 + 1e-3 * kl, req.id() + " KL at " + j);
                    assertTrue(coarse.get(r).kl()[i] <= kl + 1e-5, "the top-4 KL is a lower bound");
                    assertEquals(
                            argmax(p[j - 1]) == argmax(q[j - 1]), other.get(r).top1Agree()[i]);
                    i++;
                }
            }
            assertTrue(other.stream().mapToDouble(SequenceScore::klSum).sum() > 0, "the adapter changes the model");
        }
    }

    /**
     * Scoring runs each pass as one TorchScript call; the DJL ops give the same scores (log-probs,
     * greedy flags, kept top-K, KL and top-1 agreement against a reference) within 1e-5, on a qwen2
     * shape (q/k/v biases) with an adapter on every projection, windows packed several per pass.
     */
    @Test
    void theTorchScriptPassScoresWhatTheDjlOpsScore() throws Exception {
        TinyModelSpec qwen = TinyModelSpec.qwen2Default();
        Path qwenModel = dir.resolve("qwen2.gguf");
        TinyModelMaker.write(qwen, qwenModel);
        Path qwenAdapter = dir.resolve("qwen2-adapter.gguf");
        RandomAdapters.write(qwen, EnumSet.allOf(LoraTarget.class), 4, 8f, 0.1f, 3, qwenAdapter);
        List<ScoringRequest> requests = randomRequests(9, 90, 4);
        ScoringSettings settings = new ScoringSettings(48, 120, 8); // long ones in windows, several per pass
        try (GgufFile gguf = GgufFile.open(qwenModel);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            DecoderModel base = new DecoderModel(weights);
            DecoderModel adapted = new DecoderModel(weights, LoraWeights.loadFrozen(qwenAdapter, m));
            List<SequenceScore> reference = new TokenScorer(base, settings, ForwardEngine.DJL)
                    .score(requests, true, null, m, TokenScorer.Progress.none());
            List<SequenceScore> djl = new TokenScorer(adapted, settings, ForwardEngine.DJL)
                    .score(requests, true, reference, m, TokenScorer.Progress.none());
            List<SequenceScore> script =
                    new TokenScorer(adapted, settings).score(requests, true, reference, m, TokenScorer.Progress.none());
            for (int r = 0; r < requests.size(); r++) {
                SequenceScore a = djl.get(r);
                SequenceScore b = script.get(r);
                assertArrayEquals(a.logProbs(), b.logProbs(), 1e-5f, "log p of " + a.requestId());
                assertArrayEquals(a.topLogProbs(), b.topLogProbs(), 1e-5f, "top-K of " + a.requestId());
                assertArrayEquals(a.kl(), b.kl(), 1e-5f, "KL of " + a.requestId());
                // equal values give equal flags and ids (measured: the two passes agree bit for bit)
                assertArrayEquals(a.greedy(), b.greedy(), a.requestId());
                assertArrayEquals(a.topIds(), b.topIds(), a.requestId());
                assertArrayEquals(a.top1Agree(), b.top1Agree(), a.requestId());
                assertTrue(a.klSum() > 0, "the adapter changes the model");
            }
        }
    }

    private List<ScoringRequest> randomRequests(int n, int maxLength, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ScoringRequest> out = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            int[] tokens = randomTokens(random, 3 + random.nextInt(maxLength - 3));
            boolean[] scored = new boolean[tokens.length];
            for (int j = 1; j < tokens.length; j++) {
                scored[j] = random.nextInt(3) > 0;
            }
            out.add(new ScoringRequest("r" + r, tokens, scored));
        }
        return out;
    }

    private int[] randomTokens(SplittableRandom random, int length) {
        int[] tokens = new int[length];
        tokens[0] = 1;
        for (int j = 1; j < length; j++) {
            tokens[j] = 3 + random.nextInt(spec.vocabSize() - 3);
        }
        return tokens;
    }

    /** {@code [positions][vocab]} log-softmax of row-major logits, in double. */
    static double[][] logSoftmax(float[] logits, int vocab) {
        int rows = logits.length / vocab;
        double[][] out = new double[rows][vocab];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[r * vocab + v]);
            }
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                sum += Math.exp(logits[r * vocab + v] - max);
            }
            double log = max + Math.log(sum);
            for (int v = 0; v < vocab; v++) {
                out[r][v] = logits[r * vocab + v] - log;
            }
        }
        return out;
    }

    static int argmax(double[] row) {
        int best = 0;
        for (int v = 1; v < row.length; v++) {
            if (row[v] > row[best]) {
                best = v;
            }
        }
        return best;
    }

    @Test
    void requestsValidate() {
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new ScoringRequest("x", new int[] {1, 2}, new boolean[] {true, true}));
        assertArrayEquals(
                new boolean[] {false, true, true},
                ScoringRequest.all("y", new int[] {1, 2, 3}).scored());
    }
}
