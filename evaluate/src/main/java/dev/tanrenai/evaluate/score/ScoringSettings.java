package dev.tanrenai.evaluate.score;

import dev.tanrenai.decoder.Precision;
import java.util.Objects;

/**
 * How likelihoods are computed on the DJL decoder. Part of every cache key: a change scores again.
 *
 * <p><b>Windowing.</b> A sequence of at most {@code window} tokens is scored in one pass. A longer one
 * is scored in windows of {@code window} tokens that advance by half a window: the first window scores
 * all its positions, every later one only its second half, so each token is scored exactly once and,
 * past the first window, with at least {@code window / 2} tokens of context (llama.cpp's
 * {@code llama-perplexity} scores the second half of non-overlapping {@code n_ctx} chunks instead, and
 * never scores the first half of each chunk; lm-eval's rolling windows keep a full window of context).
 *
 * <p><b>Batching.</b> Windows are scored side by side along a batch dimension: a forward pass is
 * {@code [rows, length]}, each row one window from position 0, right-padded to the pass's longest
 * window, under a causal mask (a row never sees another row, nor its own padding; padded positions are
 * never scored), with {@code rows · length <= batchTokens}. Windows are grouped longest first, so those
 * of similar length share a pass. Attention costs each row its own length squared, not the squared
 * length of several windows packed into one sequence, and a pass of several rows pays the per-operation
 * cost once; results are each window alone's, up to float rounding.
 *
 * @param window tokens per scoring window, >= 2
 * @param batchTokens rows times padded length per forward pass, >= window
 * <p><b>Precision.</b> {@link Precision#FLOAT32} (the default) computes every forward pass in float32,
 * as training does. {@link Precision#BFLOAT16} runs the transformer blocks' matrix products in bf16
 * (about twice the float32 matrix rate on a CPU with AVX512-BF16), keeping the residual stream,
 * attention, norms, the output head, log-softmax and every sum in float32. It changes per-token
 * log-probabilities by a few hundredths of a nat (see the README's Performance section for measured
 * figures), so it is part of the cache key and of every result's provenance: a bf16 score is never
 * served for a float32 request, nor the reverse. Candidate and baseline of one evaluation are always
 * scored at the same precision, so an identical candidate still differs by exactly zero.
 *
 * @param klTopK how many of the reference model's most likely tokens are kept per position for the
 *     KL divergence and top-1 agreement (see {@link SequenceScore})
 * @param precision the number format of the decoder's matrix products
 */
public record ScoringSettings(int window, int batchTokens, int klTopK, Precision precision) {

    /** Training's default packed length: the decoder is exercised at the lengths it was trained at. */
    public static final int DEFAULT_WINDOW = 1024;

    /**
     * Two 1024-token windows, four of 512, sixteen of 128 per pass: enough rows to spread the
     * per-operation cost of a small model's pass; attention scores stay ~{@code 2048 × window} per head.
     */
    public static final int DEFAULT_BATCH_TOKENS = 2048;

    /** 64 tokens carry nearly all of a trained model's next-token mass; the rest is one bucket. */
    public static final int DEFAULT_KL_TOP_K = 64;

    /** Float32: exactly what training computes; bf16 is a choice made knowing its accuracy cost. */
    public static final Precision DEFAULT_PRECISION = Precision.FLOAT32;

    public ScoringSettings {
        if (window < 2) {
            throw new IllegalArgumentException("the scoring window must be >= 2 tokens, got " + window);
        }
        if (batchTokens < window) {
            throw new IllegalArgumentException(
                    "batchTokens (" + batchTokens + ") must be at least the window (" + window + ")");
        }
        if (klTopK < 1) {
            throw new IllegalArgumentException("klTopK must be >= 1, got " + klTopK);
        }
        Objects.requireNonNull(precision, "precision");
    }

    /** Float32 settings. */
    public ScoringSettings(int window, int batchTokens, int klTopK) {
        this(window, batchTokens, klTopK, DEFAULT_PRECISION);
    }

    public static ScoringSettings defaults() {
        return new ScoringSettings(DEFAULT_WINDOW, DEFAULT_BATCH_TOKENS, DEFAULT_KL_TOP_K, DEFAULT_PRECISION);
    }

    /** The same settings at {@code p}. */
    public ScoringSettings withPrecision(Precision p) {
        return new ScoringSettings(window, batchTokens, klTopK, p);
    }

    /** The same settings with a window no longer than the model's context. */
    public ScoringSettings fittedTo(int contextLength) {
        int w = Math.min(window, contextLength);
        return new ScoringSettings(w, Math.max(w, batchTokens), klTopK, precision);
    }

    /** A stable text form for cache keys, e.g. {@code w1024-b2048-k64-fp32}. */
    public String key() {
        return "w" + window + "-b" + batchTokens + "-k" + klTopK + "-" + precision.key();
    }
}
