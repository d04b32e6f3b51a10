package dev.tanrenai.experiment;

import java.time.Duration;

/**
 * How an experiment decides. Declared once here ({@link #defaults()}), stored with each experiment when
 * it starts, so the serving process and {@code pipeline ab decide} judge it by the same rules.
 *
 * @param alpha the false-decision rate the sequential test guarantees under continuous peeking
 * @param tau the standard deviation of the mixing distribution of effects (on the rating-rate scale)
 * @param minUsersPerArm rated users each arm needs before the primary test may decide
 * @param maxDuration after this, an undecided experiment ends as "no difference"
 * @param guardrailMinTurns turns (answers and failures) each arm needs before a guardrail may trip
 * @param maxErrorRateIncrease challenger error rate minus champion error rate that rolls back
 * @param maxP95LatencyRatio challenger p95 latency over champion p95 latency that rolls back ...
 * @param minP95LatencyIncreaseMs ... when the challenger's p95 is also at least this much slower
 * @param maxRegenerationIncrease challenger regeneration rate minus the champion's that rolls back
 * @param evaluateEvery how often the serving process evaluates (and records) the experiment
 */
public record ExperimentConfig(
        double alpha,
        double tau,
        int minUsersPerArm,
        Duration maxDuration,
        int guardrailMinTurns,
        double maxErrorRateIncrease,
        double maxP95LatencyRatio,
        long minP95LatencyIncreaseMs,
        double maxRegenerationIncrease,
        Duration evaluateEvery) {

    public ExperimentConfig {
        require("alpha", alpha > 0 && alpha < 0.5, alpha);
        require("tau", tau > 0 && tau <= 1, tau);
        require("minUsersPerArm", minUsersPerArm >= 2, minUsersPerArm);
        require("maxDuration", maxDuration != null && !maxDuration.isNegative() && !maxDuration.isZero(), maxDuration);
        require("guardrailMinTurns", guardrailMinTurns >= 1, guardrailMinTurns);
        require("maxErrorRateIncrease", maxErrorRateIncrease >= 0 && maxErrorRateIncrease < 1, maxErrorRateIncrease);
        require("maxP95LatencyRatio", maxP95LatencyRatio >= 1, maxP95LatencyRatio);
        require("minP95LatencyIncreaseMs", minP95LatencyIncreaseMs >= 0, minP95LatencyIncreaseMs);
        require(
                "maxRegenerationIncrease",
                maxRegenerationIncrease >= 0 && maxRegenerationIncrease < 1,
                maxRegenerationIncrease);
        require(
                "evaluateEvery",
                evaluateEvery != null && !evaluateEvery.isNegative() && !evaluateEvery.isZero(),
                evaluateEvery);
    }

    /**
     * alpha 0.05, tau 0.1, 100 rated users per arm, 14 days, guardrails judged from 100 turns per arm:
     * +2 points of errors, p95 latency 1.5x and 500 ms slower, +5 points of regenerations; evaluated
     * every minute (README: Online A/B decisions explains each).
     */
    public static ExperimentConfig defaults() {
        return new ExperimentConfig(
                0.05, 0.1, 100, Duration.ofDays(14), 100, 0.02, 1.5, 500, 0.05, Duration.ofMinutes(1));
    }

    public ExperimentConfig withMinUsersPerArm(int users) {
        return new ExperimentConfig(
                alpha,
                tau,
                users,
                maxDuration,
                guardrailMinTurns,
                maxErrorRateIncrease,
                maxP95LatencyRatio,
                minP95LatencyIncreaseMs,
                maxRegenerationIncrease,
                evaluateEvery);
    }

    public ExperimentConfig withGuardrailMinTurns(int turns) {
        return new ExperimentConfig(
                alpha,
                tau,
                minUsersPerArm,
                maxDuration,
                turns,
                maxErrorRateIncrease,
                maxP95LatencyRatio,
                minP95LatencyIncreaseMs,
                maxRegenerationIncrease,
                evaluateEvery);
    }

    public ExperimentConfig withMaxDuration(Duration duration) {
        return new ExperimentConfig(
                alpha,
                tau,
                minUsersPerArm,
                duration,
                guardrailMinTurns,
                maxErrorRateIncrease,
                maxP95LatencyRatio,
                minP95LatencyIncreaseMs,
                maxRegenerationIncrease,
                evaluateEvery);
    }

    public ExperimentConfig withEvaluateEvery(Duration every) {
        return new ExperimentConfig(
                alpha,
                tau,
                minUsersPerArm,
                maxDuration,
                guardrailMinTurns,
                maxErrorRateIncrease,
                maxP95LatencyRatio,
                minP95LatencyIncreaseMs,
                maxRegenerationIncrease,
                every);
    }

    private static void require(String what, boolean ok, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("experiment config " + what + ": out of range, got " + value);
        }
    }
}
