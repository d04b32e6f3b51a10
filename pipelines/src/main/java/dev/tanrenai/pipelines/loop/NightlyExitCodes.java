package dev.tanrenai.pipelines.loop;

/**
 * Exit codes of {@code pipeline run nightly} and {@code pipeline runs resume}, for the scheduler and
 * scripts. Usage errors exit 2, as every command.
 */
public final class NightlyExitCodes {

    /** Promoted, or skipped (nothing new) — or a dry run. */
    public static final int OK = 0;
    /** A stage failed (the run record names it), or the run could not start (bad configuration). */
    public static final int FAILED = 1;
    /** The gate refused the candidate; the champion did not move. */
    public static final int REFUSED = 3;
    /** Another run holds this home's loop lock; nothing ran and nothing was recorded. */
    public static final int LOCKED = 4;
    /** The run was cancelled ({@code pipeline runs cancel}). */
    public static final int CANCELLED = 5;

    private NightlyExitCodes() {}

    public static int of(RunState state) {
        return switch (state) {
            case PROMOTED, SKIPPED -> OK;
            case REFUSED -> REFUSED;
            case CANCELLED -> CANCELLED;
            case FAILED, INTERRUPTED, RUNNING -> FAILED;
        };
    }
}
