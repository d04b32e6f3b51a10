package dev.tanrenai.evaluate.run;

import dev.tanrenai.evaluate.gate.SuiteOutcome;
import dev.tanrenai.evaluate.probes.ProbeSuite;
import dev.tanrenai.evaluate.result.Metric;
import dev.tanrenai.evaluate.stats.BootstrapSettings;
import dev.tanrenai.evaluate.stats.Comparison;
import dev.tanrenai.evaluate.stats.Estimate;
import dev.tanrenai.evaluate.stats.ItemChange;
import dev.tanrenai.evaluate.stats.ItemChanges;
import dev.tanrenai.evaluate.stats.OneSampleBootstrap;
import dev.tanrenai.evaluate.stats.PairedBootstrap;
import dev.tanrenai.evaluate.stats.StandardErrors;
import dev.tanrenai.evaluate.suite.GeneralSuite;
import dev.tanrenai.evaluate.suite.Suite;
import dev.tanrenai.evaluate.suite.SuiteKind;
import dev.tanrenai.evaluate.suite.SuiteRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Candidate vs baseline on one suite: a paired bootstrap per metric, the candidate's KL to the
 * baseline with its interval and distribution, the biggest per-item wins and losses, and the report
 * section of the suite.
 */
final class SuiteComparer {

    /** Wins and losses listed per suite. */
    static final int CHANGES_LISTED = 10;

    private SuiteComparer() {}

    record Compared(SuiteOutcome outcome, Map<String, Object> report) {}

    static Compared compare(
            Suite suite,
            SuiteRun baseline,
            SuiteRun candidate,
            BootstrapSettings settings,
            Map<String, Object> cacheNotes) {
        Map<String, Comparison> comparisons = new LinkedHashMap<>();
        List<Map<String, Object>> metricNodes = new ArrayList<>();
        for (Metric m : suite.metrics()) {
            if (!hasValues(m, baseline) || !hasValues(m, candidate)) {
                continue; // missing: the gate fails a check that needs it
            }
            Comparison c = PairedBootstrap.compare(m, baseline.items(), candidate.items(), settings);
            comparisons.put(m.name(), c);
            Map<String, Object> node = new LinkedHashMap<>(c.describe());
            node.put("name", m.name());
            node.put("description", m.description());
            node.put("higherIsBetter", m.higherIsBetter());
            node.put("baselineStandardError", finite(StandardErrors.of(m, baseline.items())));
            node.put("candidateStandardError", finite(StandardErrors.of(m, candidate.items())));
            metricNodes.add(node);
        }
        Estimate klMean = null;
        Map<String, Object> kl = null;
        if (!candidate.pairwise().isEmpty()) {
            for (Metric m : suite.pairwiseMetrics()) {
                Estimate e = OneSampleBootstrap.estimate(m, candidate.pairwise(), settings);
                if (m.name().equals(GeneralSuite.KL_MEAN.name())) {
                    klMean = e;
                }
                Map<String, Object> node = new LinkedHashMap<>();
                node.put("name", m.name());
                node.put("description", m.description());
                node.put("higherIsBetter", m.higherIsBetter());
                node.put("baseline", null);
                node.put("candidate", finite(e.value()));
                node.put("difference", null);
                node.put("ciLow", finite(e.ciLow()));
                node.put("ciHigh", finite(e.ciHigh()));
                node.put("standardError", finite(e.standardError()));
                node.put("mde", null);
                node.put("mcnemar", null);
                node.put("pairwise", true);
                metricNodes.add(node);
            }
            KlSummary summary = KlSummary.of(candidate.perTokenKl());
            if (summary != null) {
                kl = new LinkedHashMap<>();
                kl.put("mean", summary.mean());
                kl.put("median", summary.median());
                kl.put("p95", summary.p95());
                kl.put("p99", summary.p99());
                kl.put("max", summary.max());
                kl.put("top1Agreement", finite(GeneralSuite.TOP1_AGREEMENT.valueOf(candidate.pairwise())));
                kl.put("tokens", summary.tokens());
                kl.put("histogram", summary.histogram());
                kl.put("klMeanCiLow", klMean == null ? null : finite(klMean.ciLow()));
                kl.put("klMeanCiHigh", klMean == null ? null : finite(klMean.ciHigh()));
            }
        }
        Map<String, String> failedMustPass = new LinkedHashMap<>();
        if (suite.info().kind() == SuiteKind.PROBES) {
            for (ProbeSuite.FailedProbe f : ProbeSuite.failedMustPass(candidate)) {
                failedMustPass.put(f.id(), f.output());
            }
        }
        List<Map<String, Object>> wins = List.of();
        List<Map<String, Object>> losses = List.of();
        if (!suite.metrics().isEmpty()
                && comparisons.containsKey(suite.metrics().get(0).name())) {
            ItemChanges changes =
                    ItemChanges.of(suite.metrics().get(0), baseline.items(), candidate.items(), CHANGES_LISTED);
            wins = changes.wins().stream().map(ItemChange::describe).toList();
            losses = changes.losses().stream().map(ItemChange::describe).toList();
        }
        SuiteOutcome outcome = new SuiteOutcome(suite.info(), comparisons, klMean, failedMustPass);

        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", suite.info().id());
        node.put("kind", suite.info().kind().id());
        node.put("version", suite.info().version());
        node.put("contentSha256", suite.info().contentSha256());
        node.put("description", suite.info().description());
        node.put("source", suite.info().source());
        node.put("items", candidate.items().size());
        node.put(
                "clusters",
                candidate.items().stream().map(i -> i.cluster()).distinct().count());
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("baseline", baseline.notes());
        notes.put("candidate", candidate.notes());
        notes.put("cache", cacheNotes);
        notes.put("scoredTokens", Map.of("baseline", baseline.scoredTokens(), "candidate", candidate.scoredTokens()));
        node.put("notes", notes);
        node.put("metrics", metricNodes);
        node.put("kl", kl);
        node.put("wins", wins);
        node.put("losses", losses);
        if (!failedMustPass.isEmpty()) {
            node.put("failedMustPass", failedMustPass);
        }
        return new Compared(outcome, node);
    }

    private static boolean hasValues(Metric m, SuiteRun run) {
        if (run.items().isEmpty()) {
            return true; // no items: the bootstrap reports why there is no interval
        }
        return run.items().stream()
                .allMatch(i -> i.values().containsKey(m.numerator())
                        && (m.denominator() == null || i.values().containsKey(m.denominator())));
    }

    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
