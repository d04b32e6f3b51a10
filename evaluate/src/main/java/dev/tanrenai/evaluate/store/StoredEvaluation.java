package dev.tanrenai.evaluate.store;

import java.util.List;
import java.util.Objects;

/**
 * One evaluation as the store keeps it.
 *
 * @param id evaluation id ({@code ev-...})
 * @param createdAt ISO-8601 instant
 * @param candidateAdapterId the candidate's registry adapter id, or null when it was given as a file
 * @param candidateKey the candidate's model cache key (base and adapter SHA-256 prefixes)
 * @param candidateLabel how the candidate was named (alias, id or path)
 * @param baselineAdapterId the baseline's registry adapter id, or null (the base model, or a file)
 * @param baselineKey the baseline's model cache key
 * @param baselineLabel how the baseline was named
 * @param decision {@code promote} or {@code refuse}
 * @param forced whether a person overrode the gate
 * @param forceReason their reason, when forced
 * @param summary the decision in one sentence
 * @param policySha256 SHA-256 of the policy in force
 * @param codeVersion the Tanrenai build that decided
 * @param reportDir where report.json, report.html and summary.md were written
 * @param reportJson the whole report
 * @param checks the gate's checks, in order
 */
public record StoredEvaluation(
        String id,
        String createdAt,
        String candidateAdapterId,
        String candidateKey,
        String candidateLabel,
        String baselineAdapterId,
        String baselineKey,
        String baselineLabel,
        String decision,
        boolean forced,
        String forceReason,
        String summary,
        String policySha256,
        String codeVersion,
        String reportDir,
        String reportJson,
        List<CheckRow> checks) {

    public static final String PROMOTE = "promote";
    public static final String REFUSE = "refuse";

    /** One check as stored: its name, suite, outcome and reason in words. */
    public record CheckRow(String name, String suite, boolean passed, String reason) {
        public CheckRow {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(suite, "suite");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public StoredEvaluation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(candidateKey, "candidateKey");
        Objects.requireNonNull(baselineKey, "baselineKey");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(reportJson, "reportJson");
        if (!decision.equals(PROMOTE) && !decision.equals(REFUSE)) {
            throw new IllegalArgumentException(
                    "evaluation " + id + ": decision must be promote or refuse, got " + decision);
        }
        if (forced && (forceReason == null || forceReason.isBlank())) {
            throw new IllegalArgumentException("evaluation " + id + ": a forced decision needs its reason");
        }
        if (decision.equals(PROMOTE) && !forced && checks.stream().anyMatch(c -> !c.passed())) {
            throw new IllegalArgumentException("evaluation " + id + ": promote with a failed check must be forced");
        }
        checks = List.copyOf(checks);
    }
}
