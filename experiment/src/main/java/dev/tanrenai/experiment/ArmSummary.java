package dev.tanrenai.experiment;

/**
 * One arm's outcomes, counted per user so statistics can cluster: the primary metric is the mean over
 * rated users of each user's rating rate (one chatty user weighs as much as any other).
 *
 * @param users users who got at least one answer from this arm (failures are counted per arm: the
 *     serving process records them under one pseudo-user, as it does not know whose they were)
 * @param conversations conversations with an answer from this arm
 * @param turns answers given
 * @param primary per-user rating rates of the users who rated (n, mean, variance)
 * @param ratings ratings given
 * @param ups ratings above 0
 * @param downs ratings below 0
 * @param meanRating mean of all ratings in [-1, 1] (unclustered; NaN without ratings)
 * @param errors failed generations (server-side)
 * @param regenerations answers the client asked for again (same conversation prefix)
 * @param continued answers the user wrote after
 * @param abandoned answers that ended their conversation (so far)
 * @param toolCallTurns answers that were parsed tool calls
 * @param p50LatencyMs median answer latency
 * @param p95LatencyMs 95th-percentile answer latency
 * @param promptTokens prompt tokens
 * @param completionTokens generated tokens
 */
public record ArmSummary(
        long users,
        long conversations,
        long turns,
        PrimaryStats primary,
        long ratings,
        long ups,
        long downs,
        double meanRating,
        long errors,
        long regenerations,
        long continued,
        long abandoned,
        long toolCallTurns,
        long p50LatencyMs,
        long p95LatencyMs,
        long promptTokens,
        long completionTokens) {

    public ArmSummary {
        if (users < 0 || turns < 0 || errors < 0 || regenerations < 0 || ratings < 0) {
            throw new IllegalArgumentException("arm counts must be >= 0");
        }
    }

    /** An arm with only its primary statistics (simulations). */
    public static ArmSummary ofPrimary(PrimaryStats primary) {
        return new ArmSummary(
                primary.n(), primary.n(), 0, primary, primary.n(), 0, 0, Double.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public long ratedUsers() {
        return primary.n();
    }

    /** Failures over attempts (answers plus failures); 0 without attempts. */
    public double errorRate() {
        return turns + errors == 0 ? 0 : errors / (double) (turns + errors);
    }

    /** Regenerations per answer; 0 without answers. */
    public double regenerationRate() {
        return turns == 0 ? 0 : regenerations / (double) turns;
    }

    /** Answers the user continued after, per answer; 0 without answers. */
    public double continuationRate() {
        return turns == 0 ? 0 : continued / (double) turns;
    }
}
