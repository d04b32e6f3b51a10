package dev.tanrenai.schedules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.quartz.CronTrigger;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.TriggerListener;

/**
 * Records misfires in the history. Quartz calls {@link #triggerMisfired} with the trigger as it was
 * before its misfire instruction moved it on, so its next fire time is the first fire missed; every
 * fire time from there up to now was missed.
 */
final class MisfireRecorder implements TriggerListener {

    /** At most this many missed fires are recorded one by one (a long downtime on a frequent cron). */
    static final int MAX_RECORDED = 500;

    private final FireRunner runner;
    private final FireHistory history;
    private final Duration threshold;

    MisfireRecorder(FireRunner runner, FireHistory history, Duration threshold) {
        this.runner = runner;
        this.history = history;
        this.threshold = threshold;
    }

    @Override
    public String getName() {
        return "tanrenai-misfire-recorder";
    }

    @Override
    public void triggerMisfired(Trigger trigger) {
        if (!Schedules.GROUP.equals(trigger.getKey().getGroup()) || !(trigger instanceof CronTrigger cron)) {
            return;
        }
        String schedule = trigger.getKey().getName();
        MisfirePolicy policy = MisfirePolicy.ofQuartz(trigger.getMisfireInstruction());
        Instant now = Instant.now();
        Instant first = trigger.getNextFireTime().toInstant();
        List<Instant> missed = new java.util.ArrayList<>();
        missed.add(first);
        for (Instant t : FireTimes.following(cron, first, MAX_RECORDED - 1)) {
            if (t.isAfter(now)) {
                break;
            }
            missed.add(t);
        }
        String why = "missed: no scheduler ran, or the previous fire still ran, until "
                + now + " (" + Duration.between(first, now).toMillis() + " ms late; misfire threshold "
                + threshold.toMillis() + " ms)";
        for (Instant t : missed) {
            if (policy == MisfirePolicy.SKIP) {
                history.notRun(schedule, t, FireOutcome.SKIPPED, why + "; policy skip", true, runner.instanceId());
            } else {
                history.notRun(
                        schedule,
                        t,
                        FireOutcome.MISSED,
                        why + "; policy run-once: one run at once",
                        true,
                        runner.instanceId());
            }
        }
        if (policy == MisfirePolicy.RUN_ONCE) {
            runner.runOnceAfterMisfire(schedule);
        }
    }

    @Override
    public void triggerFired(Trigger trigger, JobExecutionContext context) {}

    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        return false;
    }

    @Override
    public void triggerComplete(
            Trigger trigger, JobExecutionContext context, Trigger.CompletedExecutionInstruction instruction) {}
}
