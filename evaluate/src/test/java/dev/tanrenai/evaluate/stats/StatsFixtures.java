package dev.tanrenai.evaluate.stats;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import java.util.Map;

/** Metrics and items for the statistics tests. */
final class StatsFixtures {

    /** The mean of per-item {@code score}, higher is better. */
    static final Metric MEAN = new Metric(
            "score", "mean score", Metric.Kind.MEAN, "score", null, 1, Metric.Transform.IDENTITY, true, false);

    /** Σ nll / Σ tokens, lower is better. */
    static final Metric NLL_PER_TOKEN = Metric.ratio("nll_per_token", "nll per token", "nll", "tokens", 1, false);

    /** The mean of per-item 0/1 {@code acc}. */
    static final Metric ACC = Metric.accuracy("acc", "accuracy");

    private StatsFixtures() {}

    static ItemScore item(String id, String cluster, double score) {
        return new ItemScore(id, cluster, Map.of("score", score), "text of " + id);
    }

    static ItemScore ratioItem(String id, String cluster, double nll, double tokens) {
        return new ItemScore(id, cluster, Map.of("nll", nll, "tokens", tokens), "text of " + id);
    }

    static ItemScore accItem(String id, String cluster, double acc) {
        return new ItemScore(id, cluster, Map.of("acc", acc), "question " + id);
    }
}
