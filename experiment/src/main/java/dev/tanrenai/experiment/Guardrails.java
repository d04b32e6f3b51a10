package dev.tanrenai.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Guardrail metrics: errors, p95 latency and regenerations. They can only stop an experiment (roll the
 * challenger back), never promote it, and are judged once both arms have {@code guardrailMinTurns}
 * attempts.
 */
public final class Guardrails {
    private Guardrails() {}

    /** The guardrails the challenger trips against the champion, each with its numbers; empty when none. */
    public static List<String> tripped(ExperimentConfig config, ArmSummary champion, ArmSummary challenger) {
        List<String> out = new ArrayList<>();
        if (champion.turns() + champion.errors() < config.guardrailMinTurns()
                || challenger.turns() + challenger.errors() < config.guardrailMinTurns()) {
            return out;
        }
        double errorIncrease = challenger.errorRate() - champion.errorRate();
        if (errorIncrease > config.maxErrorRateIncrease()) {
            out.add(String.format(
                    Locale.ROOT,
                    "error rate %.1f%% vs champion %.1f%% (+%.1f points > %.1f allowed)",
                    challenger.errorRate() * 100,
                    champion.errorRate() * 100,
                    errorIncrease * 100,
                    config.maxErrorRateIncrease() * 100));
        }
        if (challenger.turns() > 0
                && champion.turns() > 0
                && challenger.p95LatencyMs() > champion.p95LatencyMs() * config.maxP95LatencyRatio()
                && challenger.p95LatencyMs() - champion.p95LatencyMs() >= config.minP95LatencyIncreaseMs()) {
            out.add(String.format(
                    Locale.ROOT,
                    "p95 latency %d ms vs champion %d ms (more than %.2fx and %d ms slower)",
                    challenger.p95LatencyMs(),
                    champion.p95LatencyMs(),
                    config.maxP95LatencyRatio(),
                    config.minP95LatencyIncreaseMs()));
        }
        double regenIncrease = challenger.regenerationRate() - champion.regenerationRate();
        if (regenIncrease > config.maxRegenerationIncrease()) {
            out.add(String.format(
                    Locale.ROOT,
                    "regeneration rate %.1f%% vs champion %.1f%% (+%.1f points > %.1f allowed)",
                    challenger.regenerationRate() * 100,
                    champion.regenerationRate() * 100,
                    regenIncrease * 100,
                    config.maxRegenerationIncrease() * 100));
        }
        return out;
    }
}
