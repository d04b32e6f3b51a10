package dev.tanrenai.evaluate.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One item's metric value for both models, from {@link ItemChanges}.
 *
 * @param itemId the item
 * @param text what the item is (from the baseline's item)
 * @param baseline the item's value for the baseline
 * @param candidate the item's value for the candidate
 * @param improvement {@code candidate − baseline}, negated when lower is better (positive is better)
 */
public record ItemChange(String itemId, String text, double baseline, double candidate, double improvement) {

    public ItemChange {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(text, "text");
        if (!Double.isFinite(baseline) || !Double.isFinite(candidate) || !Double.isFinite(improvement)) {
            throw new IllegalArgumentException("item change " + itemId + ": values must be finite, got " + baseline
                    + " → " + candidate + " (" + improvement + ")");
        }
    }

    /** The fields as a map, for report JSON. */
    public Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("itemId", itemId);
        map.put("text", text);
        map.put("baseline", baseline);
        map.put("candidate", candidate);
        map.put("improvement", improvement);
        return map;
    }
}
