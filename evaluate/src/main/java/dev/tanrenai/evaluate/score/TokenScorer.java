package dev.tanrenai.evaluate.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tanrenai.decoder.DecoderModel;
import dev.tanrenai.decoder.ForwardEngine;
import dev.tanrenai.decoder.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Token log-probabilities from the DJL decoder, forward-only: the model's factors carry no gradient,
 * so no autograd graph is built. Requests are cut into windows, which are scored side by side along a
 * batch dimension ({@link ScoringSettings}); results come back per request, in request order. Each pass runs as one
 * TorchScript call ({@link ForwardEngine#TORCHSCRIPT}) unless another engine is asked for.
 */
public final class TokenScorer {

    /** Called after each forward pass with the tokens it covered (progress, benchmarks). */
    public interface Progress {
        void batchDone(int tokens);

        static Progress none() {
            return tokens -> {};
        }
    }

    private final DecoderModel model;
    private final ScoringSettings settings;
    private final ForwardEngine engine;

    /** A scorer whose passes run as one TorchScript call each: what evaluations use. */
    public TokenScorer(DecoderModel model, ScoringSettings settings) {
        this(model, settings, ForwardEngine.TORCHSCRIPT);
    }

    /** A scorer whose passes run on {@code engine} (the DJL ops: a reference, for tests and benchmarks). */
    public TokenScorer(DecoderModel model, ScoringSettings settings, ForwardEngine engine) {
        this.model = Objects.requireNonNull(model, "model");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.engine = Objects.requireNonNull(engine, "engine");
        if (model.precision() != settings.precision()) {
            throw new IllegalArgumentException(
                    "the decoder computes in " + model.precision().key() + " but the scoring settings ask for "
                            + settings.precision().key());
        }
    }

    public ScoringSettings settings() {
        return settings;
    }

    /**
     * Scores {@code requests}.
     *
     * @param keepTopK whether to keep this model's top-K tokens per position (to serve as the reference of a later run)
     * @param reference the reference model's scores of the same requests (with top-K kept), for KL and
     *     top-1 agreement; null for none
     */
    public List<SequenceScore> score(
            List<ScoringRequest> requests,
            boolean keepTopK,
            List<SequenceScore> reference,
            NDManager parent,
            Progress progress) {
        if (reference != null && reference.size() != requests.size()) {
            throw new IllegalArgumentException(
                    "the reference has " + reference.size() + " scores for " + requests.size() + " requests");
        }
        int k = keepTopK ? Math.min(settings.klTopK(), model.config().vocabSize()) : 0;
        List<Accumulator> out = new ArrayList<>();
        for (int r = 0; r < requests.size(); r++) {
            SequenceScore ref = reference == null ? null : reference.get(r);
            if (ref != null
                    && (ref.topK() == 0 || ref.count() != requests.get(r).scoredCount())) {
                throw new IllegalArgumentException("reference score of "
                        + requests.get(r).id()
                        + " does not match it (top-K kept: " + ref.topK() + ", positions " + ref.count() + " vs "
                        + requests.get(r).scoredCount() + ")");
            }
            out.add(new Accumulator(requests.get(r), k, ref));
        }
        for (ScoringWindows.Batch batch : ScoringWindows.plan(requests, settings)) {
            forward(batch, out, k, parent);
            progress.batchDone(batch.tokens());
        }
        return out.stream().map(Accumulator::result).toList();
    }

    /**
     * One forward pass over a batch, its windows side by side. Only positions whose next token is scored
     * go through the output head and the log-softmax; the blocks still see every token, as context.
     */
    private void forward(ScoringWindows.Batch batch, List<Accumulator> out, int k, NDManager parent) {
        int refK = 0;
        int n = 0; // scored positions of the batch
        for (ScoringWindows.Piece p : batch.pieces()) {
            Accumulator a = out.get(p.request());
            refK = a.reference == null ? refK : a.reference.topK();
            n += p.scoredLocal().length;
        }
        int pieces = batch.pieces().size();
        int[][] sequences = new int[pieces][];
        int[][] positions = new int[pieces][]; // row r of the head's output predicts a scored token
        long[] targets = new long[n]; // [n]: the token row r predicts
        long[] refIds = refK == 0 ? null : new long[n * refK]; // [n, refK]
        int row = 0;
        for (int b = 0; b < pieces; b++) {
            ScoringWindows.Piece p = batch.pieces().get(b);
            int[] t = p.tokens();
            sequences[b] = t;
            positions[b] = new int[p.scoredLocal().length];
            SequenceScore ref = out.get(p.request()).reference;
            if (ref != null && ref.topK() != refK) {
                throw new IllegalArgumentException("reference scores mix top-" + ref.topK() + " and top-" + refK);
            }
            for (int s = 0; s < p.scoredLocal().length; s++, row++) {
                positions[b][s] = p.scoredLocal()[s] - 1; // predicts the scored token
                targets[row] = t[p.scoredLocal()[s]];
                if (ref != null) {
                    for (int j = 0; j < refK; j++) {
                        refIds[row * refK + j] = ref.topIds()[p.outputIndex()[s] * refK + j];
                    }
                }
            }
        }
        try (NDManager m = parent.newSubManager()) {
            NDArray logProbs = model.logProbs(sequences, positions, engine, m); // [n, vocab]
            float[] picked =
                    logProbs.gather(Tensors.of(m, targets, new Shape(n, 1)), 1).toFloatArray(); // [n]
            long[] argmax = logProbs.argMax(-1).toLongArray(); // [n]
            float[] topValues = null;
            long[] topIndices = null;
            if (k > 0) {
                NDList top = logProbs.topK(k, -1, true, true);
                topValues = top.get(0).toFloatArray(); // [n, k]
                topIndices = top.get(1).toLongArray(); // [n, k]
            }
            float[] atRefIds = refIds == null
                    ? null
                    : logProbs.gather(Tensors.of(m, refIds, new Shape(n, refK)), 1)
                            .toFloatArray(); // [n, refK]
            row = 0;
            for (ScoringWindows.Piece p : batch.pieces()) {
                Accumulator a = out.get(p.request());
                for (int s = 0; s < p.scoredLocal().length; s++, row++) {
                    int index = p.outputIndex()[s];
                    a.logProbs[index] = picked[row];
                    a.greedy[index] = argmax[row] == targets[row];
                    for (int j = 0; j < k; j++) {
                        a.topIds[index * k + j] = Math.toIntExact(topIndices[row * k + j]);
                        a.topLogProbs[index * k + j] = topValues[row * k + j];
                    }
                    if (a.reference != null) {
                        a.kl[index] = KlDivergence.coarsened(
                                a.reference.topLogProbs(),
                                index * refK,
                                atRefIds,
                                row * refK,
                                refK,
                                refK == model.config().vocabSize());
                        a.top1Agree[index] = argmax[row] == a.reference.topIds()[index * refK];
                    }
                }
            }
        }
    }

    /** The arrays of one request's result, filled window by window. */
    private static final class Accumulator {
        final String id;
        final float[] logProbs;
        final boolean[] greedy;
        final int k;
        final int[] topIds;
        final float[] topLogProbs;
        final SequenceScore reference;
        final float[] kl;
        final boolean[] top1Agree;

        Accumulator(ScoringRequest request, int k, SequenceScore reference) {
            int n = request.scoredCount();
            this.id = request.id();
            this.logProbs = new float[n];
            this.greedy = new boolean[n];
            this.k = k;
            this.topIds = new int[n * k];
            this.topLogProbs = new float[n * k];
            this.reference = reference;
            this.kl = reference == null ? null : new float[n];
            this.top1Agree = reference == null ? null : new boolean[n];
        }

        SequenceScore result() {
            return new SequenceScore(id, logProbs, greedy, k, topIds, topLogProbs, kl, top1Agree);
        }
    }
}
