package dev.tanrenai.evaluate.result;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a suite-level number is computed from its items, declared once so that the value, its standard
 * error, the paired bootstrap and the report all compute it the same way.
 *
 * <ul>
 *   <li>{@link Kind#MEAN}: the mean over items of {@code numerator} ({@code denominator} is null), e.g.
 *       accuracy from per-item 0/1 {@code acc}.
 *   <li>{@link Kind#RATIO}: {@code Σ numerator / Σ denominator} over items, e.g. NLL per token =
 *       Σ nll / Σ tokens; a ratio of sums, not a mean of ratios, so long items weigh by their length.
 * </ul>
 *
 * The result then goes through {@code transform}: {@code value = transform(scale · aggregate)}.
 *
 * @param name e.g. {@code nll_per_token}, {@code bits_per_byte}, {@code acc}
 * @param description how it is computed, in words, for reports
 * @param kind mean or ratio of sums
 * @param numerator the item value summed (or averaged)
 * @param denominator the item value of the ratio's denominator; null for {@link Kind#MEAN}
 * @param scale multiplies the aggregate before the transform (e.g. {@code 1 / ln 2} for bits)
 * @param transform applied last
 * @param higherIsBetter whether a larger value is an improvement
 * @param binary whether the per-item numerator is 0/1 (McNemar's test applies to paired comparisons)
 */
public record Metric(
        String name,
        String description,
        Kind kind,
        String numerator,
        String denominator,
        double scale,
        Transform transform,
        boolean higherIsBetter,
        boolean binary) {

    /** How items are aggregated. */
    public enum Kind {
        MEAN,
        RATIO
    }

    /** Applied to {@code scale · aggregate}. */
    public enum Transform {
        IDENTITY,
        /** {@code exp(-x)}: a perplexity from a mean log-likelihood. */
        EXP_NEG,
        /** {@code exp(x)}: a perplexity from a mean negative log-likelihood. */
        EXP;

        public double apply(double x) {
            return switch (this) {
                case IDENTITY -> x;
                case EXP_NEG -> Math.exp(-x);
                case EXP -> Math.exp(x);
            };
        }
    }

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(transform, "transform");
        if ((kind == Kind.RATIO) != (denominator != null)) {
            throw new IllegalArgumentException("metric " + name + ": a RATIO has a denominator, a MEAN has none");
        }
        if (!Double.isFinite(scale) || scale == 0) {
            throw new IllegalArgumentException("metric " + name + ": scale must be finite and non-zero, got " + scale);
        }
        if (binary && (kind != Kind.MEAN || transform != Transform.IDENTITY || scale != 1)) {
            throw new IllegalArgumentException("metric " + name + ": a binary metric is a plain mean of 0/1 values");
        }
    }

    /** A mean of per-item 0/1 values, e.g. accuracy. */
    public static Metric accuracy(String name, String description) {
        return new Metric(name, description, Kind.MEAN, name, null, 1, Transform.IDENTITY, true, true);
    }

    /** {@code Σ numerator / Σ denominator}, untransformed. */
    public static Metric ratio(
            String name,
            String description,
            String numerator,
            String denominator,
            double scale,
            boolean higherIsBetter) {
        return new Metric(
                name,
                description,
                Kind.RATIO,
                numerator,
                denominator,
                scale,
                Transform.IDENTITY,
                higherIsBetter,
                false);
    }

    /** The metric's value over {@code items} (NaN when there are none, or a ratio's denominator sums to 0). */
    public double valueOf(List<ItemScore> items) {
        double num = 0;
        double den = 0;
        for (ItemScore item : items) {
            num += item.value(numerator);
            den += kind == Kind.RATIO ? item.value(denominator) : 1;
        }
        return fromSums(num, den);
    }

    /** The metric's value from already summed numerator and denominator (item count for a MEAN). */
    public double fromSums(double numeratorSum, double denominatorSum) {
        if (denominatorSum == 0) {
            return Double.NaN;
        }
        return transform.apply(scale * numeratorSum / denominatorSum);
    }

    /** The fields as a map, for report JSON. */
    public Map<String, Object> describe() {
        return Map.of(
                "name", name,
                "description", description,
                "higherIsBetter", higherIsBetter,
                "binary", binary);
    }
}
