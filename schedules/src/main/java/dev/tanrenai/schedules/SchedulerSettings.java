package dev.tanrenai.schedules;

import java.time.Duration;

/**
 * Timing of a scheduler.
 *
 * @param misfireThreshold a fire later than this is a misfire and follows the schedule's
 *     {@link MisfirePolicy}; a fire less late runs at once (Quartz {@code misfireThreshold})
 * @param idleWait how long the scheduler sleeps when no trigger is due; a schedule added by another
 *     process is seen within this time (Quartz {@code idleWaitTime})
 * @param shutdownGrace on SIGTERM, how long to wait for a running child before leaving it to finish
 *     on its own (recorded as detached)
 * @param clusterCheckin how often a clustered (PostgreSQL) instance checks in; an instance silent for
 *     longer is taken as dead and its fires recovered
 */
public record SchedulerSettings(
        Duration misfireThreshold, Duration idleWait, Duration shutdownGrace, Duration clusterCheckin) {

    /** One minute misfire threshold (the Quartz default), 5 s idle wait, 30 s shutdown grace, 7.5 s check-in. */
    public static final SchedulerSettings DEFAULTS = new SchedulerSettings(
            Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(7500));

    public SchedulerSettings {
        positive("misfireThreshold", misfireThreshold);
        positive("idleWait", idleWait);
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new ScheduleException("shutdownGrace must be >= 0, got " + shutdownGrace);
        }
        positive("clusterCheckin", clusterCheckin);
        if (idleWait.toMillis() < 1000) {
            throw new ScheduleException("idleWait must be at least 1 s (Quartz refuses less), got " + idleWait);
        }
    }

    private static void positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ScheduleException(field + " must be > 0, got " + d);
        }
    }

    public SchedulerSettings withMisfireThreshold(Duration d) {
        return new SchedulerSettings(d, idleWait, shutdownGrace, clusterCheckin);
    }

    public SchedulerSettings withIdleWait(Duration d) {
        return new SchedulerSettings(misfireThreshold, d, shutdownGrace, clusterCheckin);
    }

    public SchedulerSettings withShutdownGrace(Duration d) {
        return new SchedulerSettings(misfireThreshold, idleWait, d, clusterCheckin);
    }

    public SchedulerSettings withClusterCheckin(Duration d) {
        return new SchedulerSettings(misfireThreshold, idleWait, shutdownGrace, d);
    }
}
