package dev.tanrenai.evaluate.stats;

import dev.tanrenai.evaluate.result.ItemScore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The items of one suite scored by two models, paired by {@link ItemScore#itemId()}: both sides must
 * hold exactly the same ids, each once, and each item must be in the same cluster on both sides.
 *
 * @param baseline the champion's item (in the baseline list's order)
 * @param candidate the candidate's item with the same id
 */
record PairedItems(ItemScore baseline, ItemScore candidate) {

    /** How many offending ids an error names. */
    static final int SHOWN = 5;

    PairedItems {
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(candidate, "candidate");
        if (!baseline.itemId().equals(candidate.itemId())) {
            throw new IllegalArgumentException(
                    "paired items differ: " + baseline.itemId() + " vs " + candidate.itemId());
        }
    }

    /**
     * Pairs the two sides by item id, in the order of {@code baseline}.
     *
     * @throws ItemMismatchException naming the first few duplicated, missing, extra or re-clustered ids
     */
    static List<PairedItems> pair(List<ItemScore> baseline, List<ItemScore> candidate) {
        Map<String, ItemScore> base = byId(baseline, "baseline");
        Map<String, ItemScore> cand = byId(candidate, "candidate");
        List<String> missing = new ArrayList<>();
        for (String id : base.keySet()) {
            if (!cand.containsKey(id)) {
                missing.add(id);
            }
        }
        List<String> extra = new ArrayList<>();
        for (String id : cand.keySet()) {
            if (!base.containsKey(id)) {
                extra.add(id);
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            List<String> offending = new ArrayList<>(first(missing));
            offending.addAll(first(extra));
            throw new ItemMismatchException(
                    "paired comparison: the candidate lacks " + missing.size() + " baseline item(s) " + first(missing)
                            + " and has " + extra.size() + " item(s) the baseline lacks " + first(extra)
                            + " (both models must be scored on the same items)",
                    offending);
        }
        List<String> reclustered = new ArrayList<>();
        List<PairedItems> pairs = new ArrayList<>(base.size());
        for (ItemScore b : base.values()) {
            ItemScore c = cand.get(b.itemId());
            if (!b.cluster().equals(c.cluster())) {
                reclustered.add(b.itemId() + " (" + b.cluster() + " vs " + c.cluster() + ")");
            }
            pairs.add(new PairedItems(b, c));
        }
        if (!reclustered.isEmpty()) {
            throw new ItemMismatchException(
                    "paired comparison: " + reclustered.size() + " item(s) are in different clusters for baseline"
                            + " and candidate: " + first(reclustered),
                    first(reclustered));
        }
        return pairs;
    }

    private static Map<String, ItemScore> byId(List<ItemScore> items, String side) {
        Map<String, ItemScore> byId = new LinkedHashMap<>();
        List<String> duplicated = new ArrayList<>();
        for (ItemScore item : items) {
            if (byId.putIfAbsent(item.itemId(), item) != null) {
                duplicated.add(item.itemId());
            }
        }
        if (!duplicated.isEmpty()) {
            throw new ItemMismatchException(
                    "paired comparison: the " + side + " holds " + duplicated.size() + " duplicated item id(s) "
                            + first(duplicated),
                    first(duplicated));
        }
        return byId;
    }

    private static List<String> first(List<String> ids) {
        return ids.subList(0, Math.min(SHOWN, ids.size()));
    }
}
