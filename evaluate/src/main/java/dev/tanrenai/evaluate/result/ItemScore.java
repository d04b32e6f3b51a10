package dev.tanrenai.evaluate.result;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One scored item of a suite for one model: the per-item values a {@link Metric} aggregates (sums
 * such as {@code nll} and {@code tokens} for ratio metrics, 0/1 values such as {@code acc} for
 * accuracies), the cluster it belongs to for the clustered bootstrap, and a short text to show when
 * the item is among the biggest wins or losses.
 *
 * @param itemId stable id within its suite (the same item has the same id for every model)
 * @param cluster the resampling unit: a conversation or document id (items of one cluster move together)
 * @param values finite values by name
 * @param text what the item is, for reports (a question, the start of a document); may be empty
 */
public record ItemScore(String itemId, String cluster, Map<String, Double> values, String text) {

    public ItemScore {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(text, "text");
        values = Collections.unmodifiableMap(new TreeMap<>(values));
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("item " + itemId + ": value " + e.getKey() + " is " + e.getValue()
                        + ", expected a finite number");
            }
        }
    }

    /** The value {@code name}, or an error naming the item and the values it has. */
    public double value(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException(
                    "item " + itemId + " has no value '" + name + "' (it has " + values.keySet() + ")");
        }
        return v;
    }
}
