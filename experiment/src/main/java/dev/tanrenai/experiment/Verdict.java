package dev.tanrenai.experiment;

import java.util.List;
import java.util.Objects;

/**
 * One evaluation of an experiment: both arms' outcomes, the sequential test (null while an arm has fewer
 * than 2 rated users), the tripped guardrails and the decision with its reason.
 */
public record Verdict(
        Decision decision,
        String reason,
        ArmSummary champion,
        ArmSummary challenger,
        Msprt.Result test,
        List<String> guardrails,
        double elapsedDays) {
    public Verdict {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(champion, "champion");
        Objects.requireNonNull(challenger, "challenger");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a verdict needs a reason");
        }
        guardrails = List.copyOf(guardrails);
    }
}
