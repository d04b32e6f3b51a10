package dev.tanrenai.evaluate.score;

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
 * <p><b>Batching.</b> Windows are packed in order into forward passes of at most {@code batchTokens}
 * tokens; each attends only to itself (block-diagonal causal mask, positions restarting at 0), exactly
 * as training packs, so packing changes no result beyond float rounding.
 *
 * @param window tokens per scoring window, >= 2
 * @param batchTokens tokens per forward pass, >= window
 * @param klTopK how many of the reference model's most likely tokens are kept per position for the
 *     KL divergence and top-1 agreement (see {@link SequenceScore})
 */
public record ScoringSettings(int window, int batchTokens, int klTopK) {

    /** Training's default packed length: the decoder is exercised at the lengths it was trained at. */
    public static final int DEFAULT_WINDOW = 1024;

    public static final int DEFAULT_BATCH_TOKENS = 1024;

    /** 64 tokens carry nearly all of a trained model's next-token mass; the rest is one bucket. */
    public static final int DEFAULT_KL_TOP_K = 64;

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
    }

    public static ScoringSettings defaults() {
        return new ScoringSettings(DEFAULT_WINDOW, DEFAULT_BATCH_TOKENS, DEFAULT_KL_TOP_K);
    }

    /** The same settings with a window no longer than the model's context. */
    public ScoringSettings fittedTo(int contextLength) {
        int w = Math.min(window, contextLength);
        return new ScoringSettings(w, Math.max(w, batchTokens), klTopK);
    }

    /** A stable text form for cache keys. */
    public String key() {
        return "w" + window + "-b" + batchTokens + "-k" + klTopK;
    }
}
