package dev.tanrenai.evaluate.stats;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The items that changed most between baseline and candidate, for reports.
 *
 * <p>An item's value is its own metric value: {@code transform(scale · numerator)} for a MEAN, {@code
 * transform(scale · numerator / denominator)} for a RATIO (items whose denominator is 0 on either side
 * are skipped). Its improvement is {@code candidate − baseline}, negated when lower is better. Wins are
 * the items with improvement {@code > 0}, largest first; losses those with improvement {@code < 0},
 * most negative first; ties by item id. For a binary (0/1, higher is better) metric the wins are the
 * items learned (0 → 1) and the losses the items forgotten (1 → 0).
 *
 * @param wins at most {@code limit} improved items
 * @param losses at most {@code limit} worsened items
 */
public record ItemChanges(List<ItemChange> wins, List<ItemChange> losses) {

    private static final Comparator<ItemChange> BY_ID = Comparator.comparing(ItemChange::itemId);

    public ItemChanges {
        wins = List.copyOf(wins);
        losses = List.copyOf(losses);
        for (ItemChange w : wins) {
            if (!(w.improvement() > 0)) {
                throw new IllegalArgumentException("win " + w.itemId() + " has improvement " + w.improvement());
            }
        }
        for (ItemChange l : losses) {
            if (!(l.improvement() < 0)) {
                throw new IllegalArgumentException("loss " + l.itemId() + " has improvement " + l.improvement());
            }
        }
    }

    /**
     * The biggest wins and losses of {@code candidate} over {@code baseline}.
     *
     * @param limit how many of each to keep, {@code >= 0}
     * @throws ItemMismatchException when the sides do not hold the same items in the same clusters
     * @throws IllegalArgumentException when a binary metric's value is not 0/1
     */
    public static ItemChanges of(Metric metric, List<ItemScore> baseline, List<ItemScore> candidate, int limit) {
        Objects.requireNonNull(metric, "metric");
        if (limit < 0) {
            throw new IllegalArgumentException("item changes: limit must be >= 0, got " + limit);
        }
        List<ItemChange> wins = new ArrayList<>();
        List<ItemChange> losses = new ArrayList<>();
        for (PairedItems pair : PairedItems.pair(baseline, candidate)) {
            if (metric.binary()) {
                PairedBootstrap.binaryValue(metric, pair.baseline());
                PairedBootstrap.binaryValue(metric, pair.candidate());
            }
            double base = itemValue(metric, pair.baseline());
            double cand = itemValue(metric, pair.candidate());
            if (Double.isNaN(base) || Double.isNaN(cand)) {
                continue;
            }
            double improvement = metric.higherIsBetter() ? cand - base : base - cand;
            ItemChange change =
                    new ItemChange(pair.baseline().itemId(), pair.baseline().text(), base, cand, improvement);
            if (improvement > 0) {
                wins.add(change);
            } else if (improvement < 0) {
                losses.add(change);
            }
        }
        wins.sort(Comparator.comparingDouble(ItemChange::improvement).reversed().thenComparing(BY_ID));
        losses.sort(Comparator.comparingDouble(ItemChange::improvement).thenComparing(BY_ID));
        return new ItemChanges(
                wins.subList(0, Math.min(limit, wins.size())), losses.subList(0, Math.min(limit, losses.size())));
    }

    /** The item's own metric value; NaN for a RATIO item whose denominator is 0. */
    static double itemValue(Metric metric, ItemScore item) {
        double num = ClusterSums.numerator(metric, item);
        double den = ClusterSums.denominator(metric, item);
        return metric.fromSums(num, den);
    }
}
