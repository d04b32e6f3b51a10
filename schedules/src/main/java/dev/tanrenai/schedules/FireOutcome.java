package dev.tanrenai.schedules;

/** How one fire of a schedule ended, as recorded in its history. */
public enum FireOutcome {
    /** The child is running (or the scheduler died while it ran). */
    RUNNING,
    /** The child exited 0. */
    SUCCEEDED,
    /** The child exited non-zero, was killed by a signal (exit 128+N), or could not start. */
    FAILED,
    /** A fire missed during downtime, not run (misfire policy skip). */
    SKIPPED,
    /** A fire missed during downtime, made up by one run at restart (misfire policy run-once). */
    MISSED,
    /** The scheduler stopped while the child ran; the child was left to finish on its own. */
    DETACHED
}
