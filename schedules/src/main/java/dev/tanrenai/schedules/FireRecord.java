package dev.tanrenai.schedules;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One entry of a schedule's history.
 *
 * @param id the fire's id (unique per database)
 * @param schedule the schedule's name
 * @param scheduledAt when the cron said to fire
 * @param startedAt when the child started (null for a skipped or missed fire)
 * @param outcome how it ended
 * @param exitCode the child's exit code (128+N when killed by signal N); null while running or when not run
 * @param duration how long the child ran; null while running or when not run
 * @param logPath the child's log file (stdout and stderr); null when not run
 * @param misfired the fire came late, after downtime (skipped, missed or run once under run-once)
 * @param detail a sentence: why skipped, how it failed, the child's pid when detached
 */
public record FireRecord(
        long id,
        String schedule,
        Instant scheduledAt,
        Instant startedAt,
        FireOutcome outcome,
        Integer exitCode,
        Duration duration,
        Path logPath,
        boolean misfired,
        String detail) {

    public FireRecord {
        if (schedule == null || scheduledAt == null || outcome == null) {
            throw new IllegalArgumentException("a fire record needs schedule, scheduledAt and outcome");
        }
        if (detail == null) {
            detail = "";
        }
    }
}
