package dev.tanrenai.pipelines.loop;

import java.util.Locale;

/** How a nightly run ended (or that it is still running). */
public enum RunState {
    /** Running, or its process died; {@link RunRecords#markInterrupted} settles the latter. */
    RUNNING,
    /** The candidate was promoted (direct: champion moved; ab: challenger moved). */
    PROMOTED,
    /** The gate refused the candidate; the champion did not move. */
    REFUSED,
    /** Nothing to do (no or too few new conversations); recorded with the reason. */
    SKIPPED,
    /** A stage failed; the error names it. */
    FAILED,
    /** {@code pipeline runs cancel} stopped it. */
    CANCELLED,
    /** Its process died (kill -9, power loss) before it ended. */
    INTERRUPTED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunState fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** A run that ended this way may be resumed: it stopped before its last stage. */
    public boolean resumable() {
        return switch (this) {
            case FAILED, CANCELLED, INTERRUPTED -> true;
            case RUNNING, PROMOTED, REFUSED, SKIPPED -> false;
        };
    }
}
