package dev.tanrenai.evaluate.gate;

import dev.tanrenai.evaluate.gate.Check.Kind;
import dev.tanrenai.evaluate.stats.Comparison;
import dev.tanrenai.evaluate.stats.Estimate;
import dev.tanrenai.evaluate.suite.ConversationSuite;
import dev.tanrenai.evaluate.suite.FeedbackSuite;
import dev.tanrenai.evaluate.suite.GeneralSuite;
import dev.tanrenai.evaluate.suite.SuiteKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides promote or refuse from the suites' outcomes under a {@link Policy}. Every check reports its
 * numbers and a reason in words; a check whose suite, metric or interval is missing fails (a missing
 * number is never read as a pass). The checks, in order:
 *
 * <ol>
 *   <li>every suite the policy requires is present;
 *   <li>heldout: the NLL-per-token decrease's interval lies above {@code heldout.min_improvement};
 *   <li>replay and general: the upper bound of the bits-per-byte increase is under
 *       {@code retention.max_bits_per_byte_increase} (non-inferiority);
 *   <li>general: the upper bound of the mean KL(baseline ‖ candidate) is under {@code retention.max_kl_mean};
 *   <li>tasks: no metric significantly worse (0/1 metrics by McNemar's exact test, others by the interval);
 *   <li>probes: every must-pass probe passes;
 *   <li>feedback: the preference margin is not significantly smaller.
 * </ol>
 */
public final class Gate {

    private final Policy policy;

    public Gate(Policy policy) {
        this.policy = policy;
    }

    /**
     * @param outcomes one per evaluated suite
     * @param absent suites that could not be evaluated, with the reason (e.g. an empty replay buffer)
     * @param forceReason non-null to force a promotion whatever the checks say (recorded as forced)
     */
    public Decision decide(List<SuiteOutcome> outcomes, Map<String, String> absent, String forceReason) {
        if (forceReason != null && forceReason.isBlank()) {
            throw new IllegalArgumentException("--force needs --reason TEXT: say why the gate is overridden");
        }
        Map<String, SuiteOutcome> byId = new LinkedHashMap<>();
        for (SuiteOutcome o : outcomes) {
            if (byId.put(o.suite().id(), o) != null) {
                throw new IllegalArgumentException("suite " + o.suite().id() + " was evaluated twice");
            }
        }
        List<Check> checks = new ArrayList<>();
        for (String required : policy.requiredSuites()) {
            boolean present = byId.containsKey(required);
            String why = absent.getOrDefault(required, "it was not evaluated");
            checks.add(new Check(
                    required + " present",
                    required,
                    null,
                    Kind.PRESENT,
                    present,
                    present
                            ? "the policy requires " + required + " and it was evaluated"
                            : "the policy requires " + required + " but " + why,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN));
        }
        for (SuiteOutcome o : outcomes) {
            SuiteKind kind = o.suite().kind();
            String id = o.suite().id();
            switch (kind) {
                case HELDOUT -> checks.add(improvement(o, ConversationSuite.NLL_PER_TOKEN.name()));
                case REPLAY -> checks.add(nonInferiority(o, ConversationSuite.BITS_PER_BYTE.name()));
                case GENERAL -> {
                    checks.add(nonInferiority(o, GeneralSuite.BITS_PER_BYTE.name()));
                    checks.add(klBudget(o));
                }
                case TASKS -> {
                    if (o.comparisons().isEmpty()) {
                        checks.add(Check.failed(
                                id + " scored", id, null, Kind.NO_SIGNIFICANT_LOSS, "no metric was compared"));
                    }
                    for (String metric : o.metrics()) {
                        checks.add(noSignificantLoss(o, metric, policy.tasksMaxLoss()));
                    }
                }
                case PROBES -> {
                    if (policy.probesMustPass()) {
                        checks.add(mustPass(o));
                    }
                }
                case FEEDBACK ->
                    checks.add(noSignificantLoss(o, FeedbackSuite.MARGIN.name(), policy.feedbackMaxLoss()));
            }
        }
        List<Check> failed = checks.stream().filter(c -> !c.passed()).toList();
        boolean passed = failed.isEmpty();
        String summary;
        if (passed) {
            summary = "Promote: all " + checks.size() + " checks passed" + headline(checks) + ".";
        } else {
            summary = (forceReason != null ? "Forced promotion over " : "Refuse: ") + failed.size() + " of "
                    + checks.size() + " checks failed — "
                    + String.join(
                            "; ",
                            failed.stream()
                                    .map(c -> c.suite() + ": " + c.reason())
                                    .toList())
                    + (forceReason != null ? ". Forced because: " + forceReason : "") + ".";
        }
        if (forceReason != null && passed) {
            summary = "Promote (forced, though all checks passed): " + forceReason + ".";
        }
        return new Decision(passed || forceReason != null, forceReason != null, forceReason, checks, summary);
    }

    private static String headline(List<Check> checks) {
        for (Check c : checks) {
            if (c.kind() == Kind.IMPROVEMENT) {
                return " — " + c.reason();
            }
        }
        return "";
    }

    private String ci() {
        return Math.round(policy.confidence() * 100) + "% CI ";
    }

    private Check improvement(SuiteOutcome o, String metric) {
        String id = o.suite().id();
        String name = id + " improves";
        Comparison c = o.comparison(metric).orElse(null);
        if (c == null || c.resamples() == 0) {
            return Check.failed(name, id, metric, Kind.IMPROVEMENT, missing(metric, c));
        }
        double min = policy.heldoutMinImprovement();
        boolean ok = c.improvementCiLow() > min;
        String reason = (ok ? metric + " improved by " : metric + " did not improve enough: change ")
                + f(c.improvement()) + " (" + ci() + f(c.improvementCiLow()) + " to " + f(c.improvementCiHigh())
                + ", baseline " + f(c.baseline()) + " → candidate " + f(c.candidate()) + "); "
                + (ok ? "the interval lies above " + f(min) : "the interval's lower bound must exceed " + f(min))
                + (ok ? "" : ", MDE " + f(c.mde()));
        return new Check(
                name,
                id,
                metric,
                Kind.IMPROVEMENT,
                ok,
                reason,
                c.difference(), // every check's numbers are on the metric's own axis: candidate − baseline
                c.higherIsBetter() ? min : -min,
                c.ciLow(),
                c.ciHigh());
    }

    private Check nonInferiority(SuiteOutcome o, String metric) {
        String id = o.suite().id();
        String name = id + " retains (" + metric + ")";
        Comparison c = o.comparison(metric).orElse(null);
        if (c == null || c.resamples() == 0) {
            return Check.failed(name, id, metric, Kind.NON_INFERIORITY, missing(metric, c));
        }
        double budget = policy.retentionMaxBitsPerByteIncrease();
        double increase = -c.improvement(); // bits per byte: lower is better
        double upper = -c.improvementCiLow();
        double lower = -c.improvementCiHigh();
        boolean ok = upper < budget;
        String reason = metric + " changed by " + f(increase) + " (" + ci() + f(lower) + " to " + f(upper)
                + ", baseline "
                + f(c.baseline()) + " → candidate " + f(c.candidate()) + "); "
                + (ok ? "the upper bound is under the budget " : "FORGETTING: the upper bound exceeds the budget ")
                + f(budget);
        return new Check(name, id, metric, Kind.NON_INFERIORITY, ok, reason, increase, budget, lower, upper);
    }

    private Check klBudget(SuiteOutcome o) {
        String id = o.suite().id();
        String metric = GeneralSuite.KL_MEAN.name();
        String name = id + " KL within budget";
        Estimate kl = o.klMean();
        if (kl == null || kl.resamples() == 0) {
            return Check.failed(name, id, metric, Kind.KL_BUDGET, "no KL to the baseline was measured");
        }
        double budget = policy.retentionMaxKlMean();
        boolean ok = kl.ciHigh() < budget;
        String reason = "mean KL(baseline ‖ candidate) is " + f(kl.value()) + " nats per token (" + ci() + f(kl.ciLow())
                + " to " + f(kl.ciHigh()) + "); "
                + (ok ? "the upper bound is under the budget " : "the upper bound exceeds the budget ") + f(budget);
        return new Check(name, id, metric, Kind.KL_BUDGET, ok, reason, kl.value(), budget, kl.ciLow(), kl.ciHigh());
    }

    private Check noSignificantLoss(SuiteOutcome o, String metric, double maxLoss) {
        String id = o.suite().id();
        String name = id + " no significant loss (" + metric + ")";
        Comparison c = o.comparison(metric).orElse(null);
        if (c == null || (c.resamples() == 0 && c.mcnemar() == null)) {
            return Check.failed(name, id, metric, Kind.NO_SIGNIFICANT_LOSS, missing(metric, c));
        }
        double alpha = 1 - policy.confidence();
        boolean loss;
        String evidence;
        if (c.mcnemar() != null) {
            loss = c.improvement() < -maxLoss && c.mcnemar().p() < alpha;
            evidence = "McNemar b=" + c.mcnemar().b() + " lost, c="
                    + c.mcnemar().c() + " gained, exact p=" + f(c.mcnemar().p());
        } else {
            loss = c.improvementCiHigh() < -maxLoss;
            evidence = ci() + f(c.improvementCiLow()) + " to " + f(c.improvementCiHigh());
        }
        String reason =
                metric + " " + f(c.baseline()) + " → " + f(c.candidate()) + ", improvement " + f(c.improvement())
                        + " (" + evidence + "); " + (loss ? "a significant loss" : "no significant loss")
                        + (maxLoss > 0 ? " beyond " + f(maxLoss) : "");
        return new Check(
                name,
                id,
                metric,
                Kind.NO_SIGNIFICANT_LOSS,
                !loss,
                reason,
                c.difference(),
                c.higherIsBetter() ? -maxLoss : maxLoss,
                c.ciLow(),
                c.ciHigh());
    }

    private Check mustPass(SuiteOutcome o) {
        String id = o.suite().id();
        Map<String, String> failed = o.failedMustPass();
        boolean ok = failed.isEmpty();
        String reason = ok
                ? "every must-pass probe passed"
                : failed.size() + " must-pass probe(s) failed: "
                        + String.join(
                                "; ",
                                failed.entrySet().stream()
                                        .map(e -> e.getKey() + " answered \"" + abbreviate(e.getValue()) + "\"")
                                        .toList());
        return new Check(
                id + " must pass", id, null, Kind.MUST_PASS, ok, reason, failed.size(), 0, Double.NaN, Double.NaN);
    }

    private static String missing(String metric, Comparison c) {
        return c == null
                ? "metric " + metric + " is missing, so the check cannot pass"
                : "no interval for " + metric + " (" + c.note() + "), so the check cannot pass";
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() <= 80 ? flat : flat.substring(0, 79) + "…";
    }

    /** Four significant digits. */
    static String f(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.4g", v)
                .replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2")
                .replaceFirst("\\.(e|$)", "$1");
    }
}
