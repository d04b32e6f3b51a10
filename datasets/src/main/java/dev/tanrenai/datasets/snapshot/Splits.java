package dev.tanrenai.datasets.snapshot;

/**
 * The split column of a curated snapshot: the contract between curate (which writes it), train (which
 * skips held-out rows) and evaluate (which scores them).
 */
public final class Splits {
    private Splits() {}

    /** The extra column naming a row's split. */
    public static final String COLUMN = "split";

    /** Rows to train on. */
    public static final String TRAIN = "train";

    /** Rows kept out of training, for evaluation. */
    public static final String HELDOUT = "heldout";

    /** Whether {@code row} is held out. */
    public static boolean isHeldout(ConversationRow row) {
        return HELDOUT.equals(row.extras().get(COLUMN));
    }
}
