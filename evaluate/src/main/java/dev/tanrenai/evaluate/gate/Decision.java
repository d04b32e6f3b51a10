package dev.tanrenai.evaluate.gate;

import java.util.List;
import java.util.Objects;

/**
 * The gate's verdict: promote or refuse, every check with its numbers, and the verdict in one sentence.
 *
 * @param promote whether the candidate is to be promoted
 * @param forced whether a person overrode the gate ({@code promote} is then true whatever the checks say)
 * @param forceReason their reason, when forced
 * @param checks every check, in the order the policy runs them
 * @param summary the decision in one sentence
 */
public record Decision(boolean promote, boolean forced, String forceReason, List<Check> checks, String summary) {

    public Decision {
        checks = List.copyOf(checks);
        Objects.requireNonNull(summary, "summary");
        if (forced && (forceReason == null || forceReason.isBlank())) {
            throw new IllegalArgumentException("a forced promotion needs a reason");
        }
        if (forced && !promote) {
            throw new IllegalArgumentException("only a promotion can be forced");
        }
        if (promote && !forced && checks.stream().anyMatch(c -> !c.passed())) {
            throw new IllegalArgumentException("a promotion with failed checks must be forced");
        }
        if (checks.isEmpty()) {
            throw new IllegalArgumentException("a decision needs at least one check");
        }
    }

    /** {@code promote} or {@code refuse}, as JSON and the store spell it. */
    public String verdict() {
        return promote ? "promote" : "refuse";
    }

    public List<Check> failed() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }
}
