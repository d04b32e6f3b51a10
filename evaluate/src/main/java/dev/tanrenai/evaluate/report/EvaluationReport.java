package dev.tanrenai.evaluate.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The typed view of one {@code report.json} (schema 1) that the HTML and Markdown renderers read;
 * {@link ReportReader#read} builds it and names the JSON path of anything missing or malformed.
 * Numbers that may be absent in the JSON are {@code Double}/null here; free-form maps (policy values,
 * notes, hyper-parameters, provenance) stay JSON and are rendered as key/value tables.
 */
public record EvaluationReport(
        String id,
        String createdAt,
        Decision decision,
        boolean forced,
        String forceReason,
        String summary,
        Party candidate,
        Party baseline,
        Policy policy,
        List<Check> checks,
        List<SuiteResult> suites,
        Training training,
        Lineage lineage,
        Provenance provenance) {

    /** The only schema version this renderer reads. */
    public static final int SCHEMA = 1;

    public EvaluationReport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(provenance, "provenance");
        if (forced && (forceReason == null || forceReason.isBlank())) {
            throw new IllegalArgumentException("report " + id + ": a forced decision needs a reason");
        }
        checks = List.copyOf(checks);
        suites = List.copyOf(suites);
    }

    /** The gate's verdict. */
    public enum Decision {
        PROMOTE,
        REFUSE;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A model under test: base model plus optional adapter, with their SHA-256s. */
    public record Party(String id, String describe, String baseSha256, String adapterSha256) {
        public Party {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(describe, "describe");
            Objects.requireNonNull(baseSha256, "baseSha256");
        }
    }

    /** The promotion policy used: where it came from, its hash and its values. */
    public record Policy(String source, String sha256, JsonNode values) {
        public Policy {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /** The check kinds of the gate, as spelled in the JSON. */
    public static final List<String> CHECK_KINDS =
            List.of("improvement", "non_inferiority", "kl_budget", "no_significant_loss", "must_pass", "present");

    /** One gate check with its numbers (each may be null) and its reason in words. */
    public record Check(
            String name,
            String suite,
            String metric,
            String kind,
            boolean passed,
            String reason,
            Double observed,
            Double threshold,
            Double ciLow,
            Double ciHigh) {
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(suite, "suite");
            Objects.requireNonNull(reason, "reason");
            if (!CHECK_KINDS.contains(kind)) {
                throw new IllegalArgumentException("check " + name + ": unknown kind " + kind);
            }
        }
    }

    /** One suite's results, champion (baseline) against candidate. */
    public record SuiteResult(
            String id,
            String kind,
            long version,
            String contentSha256,
            String description,
            long items,
            long clusters,
            JsonNode notes,
            List<MetricResult> metrics,
            Kl kl,
            List<ItemDelta> wins,
            List<ItemDelta> losses) {
        public SuiteResult {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(contentSha256, "contentSha256");
            Objects.requireNonNull(description, "description");
            metrics = List.copyOf(metrics);
            wins = List.copyOf(wins);
            losses = List.copyOf(losses);
        }
    }

    /**
     * One metric of a suite. {@code difference} is candidate − baseline with its 95% CI
     * [{@code ciLow}, {@code ciHigh}]; {@code mde} is the minimum detectable effect.
     */
    public record MetricResult(
            String name,
            String description,
            boolean higherIsBetter,
            Double baseline,
            Double candidate,
            Double difference,
            Double ciLow,
            Double ciHigh,
            Double mde,
            Double standardError,
            McNemar mcnemar) {
        public MetricResult {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
        }
    }

    /** McNemar's exact test on a 0/1 metric: b = items only the baseline got, c = only the candidate. */
    public record McNemar(long b, long c, double p) {
        public McNemar {
            if (b < 0 || c < 0 || !(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(
                        "McNemar needs b, c >= 0 and p in [0, 1]: " + b + ", " + c + ", " + p);
            }
        }
    }

    /** Per-token KL(champion ‖ candidate) summary and histogram. */
    public record Kl(
            double mean, double p95, double p99, double max, double top1Agreement, long tokens, List<Bin> histogram) {
        public Kl {
            histogram = List.copyOf(histogram);
        }
    }

    /** A histogram bin [lo, hi) with its count. */
    public record Bin(double lo, double hi, long count) {
        public Bin {
            if (!(lo <= hi) || count < 0) {
                throw new IllegalArgumentException(
                        "bin needs lo <= hi and count >= 0: " + lo + ", " + hi + ", " + count);
            }
        }
    }

    /** One item gained or lost, with its text. */
    public record ItemDelta(String itemId, String text, Double baseline, Double candidate, Double improvement) {
        public ItemDelta {
            Objects.requireNonNull(itemId, "itemId");
            Objects.requireNonNull(text, "text");
        }
    }

    /** The training run behind the candidate: its loss curve and hyper-parameters. */
    public record Training(String runId, List<LossPoint> loss, JsonNode hyperparameters) {
        public Training {
            Objects.requireNonNull(runId, "runId");
            loss = List.copyOf(loss);
        }
    }

    /** One point of the loss curve. */
    public record LossPoint(long step, double loss) {}

    /** Where the training data came from. */
    public record Lineage(String snapshotId, JsonNode curateCounts, Double replayShare, JsonNode inputs) {}

    /** Code version plus the whole provenance object (scoring, bootstrap, ...) for a generic table. */
    public record Provenance(String codeVersion, JsonNode all) {
        public Provenance {
            Objects.requireNonNull(codeVersion, "codeVersion");
            Objects.requireNonNull(all, "all");
        }
    }
}
