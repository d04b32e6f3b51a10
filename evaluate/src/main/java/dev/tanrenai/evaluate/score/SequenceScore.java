package dev.tanrenai.evaluate.score;

import java.util.Objects;

/**
 * The scores of one {@link ScoringRequest}, one entry per scored position in ascending order.
 *
 * <p><b>KL divergence against a reference model.</b> When the request was scored with a reference
 * (the champion's {@link #topIds}/{@link #topLogProbs} at the same positions), {@link #kl} holds
 * {@code KL(reference ‖ this model)} per position over the reference's {@code K} most likely tokens
 * plus one bucket for all other tokens: {@code Σ_{v∈top K} p_r(v)·(log p_r(v) − log p_m(v)) +
 * r_r·(log r_r − log r_m)}, where {@code r} is the mass outside the top K. Grouping tokens never
 * increases a KL divergence, so this is a lower bound on the full-vocabulary KL that equals it when
 * {@code K} covers the vocabulary; it is what can be cached for a champion without storing whole
 * distributions (llama.cpp's {@code --kl-divergence-base} stores all logits instead).
 *
 * @param requestId the request's id
 * @param logProbs natural-log probability of each scored token
 * @param greedy whether each scored token is the model's argmax at its position
 * @param topK tokens per position in {@code topIds}/{@code topLogProbs}; 0 when not kept
 * @param topIds the model's most likely tokens per position, {@code [n * topK]}, most likely first
 * @param topLogProbs their log-probabilities, {@code [n * topK]}
 * @param kl KL(reference ‖ this model) per position, or null without a reference
 * @param top1Agree whether this model's argmax equals the reference's, or null without a reference
 */
public record SequenceScore(
        String requestId,
        float[] logProbs,
        boolean[] greedy,
        int topK,
        int[] topIds,
        float[] topLogProbs,
        float[] kl,
        boolean[] top1Agree) {

    public SequenceScore {
        Objects.requireNonNull(requestId, "requestId");
        int n = logProbs.length;
        if (greedy.length != n) {
            throw new IllegalArgumentException(
                    requestId + ": " + n + " log-probabilities but " + greedy.length + " greedy flags");
        }
        if (topK < 0 || topIds.length != n * topK || topLogProbs.length != n * topK) {
            throw new IllegalArgumentException(
                    requestId + ": top-" + topK + " arrays do not cover " + n + " positions");
        }
        if ((kl == null) != (top1Agree == null) || (kl != null && (kl.length != n || top1Agree.length != n))) {
            throw new IllegalArgumentException(
                    requestId + ": KL and top-1 agreement must both cover " + n + " positions or both be absent");
        }
    }

    /** Scored positions. */
    public int count() {
        return logProbs.length;
    }

    /** Σ log-probability of the scored tokens (nats), summed in double. */
    public double logProbSum() {
        double sum = 0;
        for (float lp : logProbs) {
            sum += lp;
        }
        return sum;
    }

    /** Whether every scored token is the argmax (lm-eval's {@code is_greedy}). */
    public boolean allGreedy() {
        for (boolean g : greedy) {
            if (!g) {
                return false;
            }
        }
        return true;
    }

    /** Σ KL over the scored positions (nats); requires a reference. */
    public double klSum() {
        requireReference();
        double sum = 0;
        for (float k : kl) {
            sum += k;
        }
        return sum;
    }

    /** Positions where this model's argmax equals the reference's; requires a reference. */
    public int top1Agreements() {
        requireReference();
        int n = 0;
        for (boolean a : top1Agree) {
            n += a ? 1 : 0;
        }
        return n;
    }

    private void requireReference() {
        if (kl == null) {
            throw new IllegalStateException(requestId + " was scored without a reference model");
        }
    }
}
