package dev.tanrenai.evaluate.stats;

import java.util.List;

/**
 * The two sides of a paired comparison do not hold the same items (or an item is in different
 * clusters on the two sides, or twice on one side).
 */
public final class ItemMismatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> itemIds;

    ItemMismatchException(String message, List<String> itemIds) {
        super(message);
        this.itemIds = List.copyOf(itemIds);
    }

    /** The first offending item ids (at most {@link PairedItems#SHOWN} of them). */
    public List<String> itemIds() {
        return itemIds;
    }
}
