package dev.tanrenai.schedules;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * The job of every schedule: one fire runs the fire command as a child process ({@link FireRunner}).
 * Never two at once for one schedule: a trigger due while the previous fire still runs waits for it
 * (Quartz's {@code BLOCKED} state) and, if it is then later than the misfire threshold, follows the
 * schedule's misfire policy. The child also takes the loop's run lock, which holds across processes.
 */
@DisallowConcurrentExecution
public final class NightlyFireJob implements Job {

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String schedule = context.getJobDetail().getKey().getName();
        Object runner;
        try {
            runner = context.getScheduler().getContext().get(FireRunner.CONTEXT_KEY);
        } catch (SchedulerException e) {
            throw new JobExecutionException("schedule " + schedule + ": cannot read the scheduler context", e);
        }
        if (!(runner instanceof FireRunner fireRunner)) {
            throw new JobExecutionException("schedule " + schedule
                    + ": this scheduler instance has no fire runner (it was opened to edit schedules, not to fire)");
        }
        try {
            fireRunner.fire(schedule, context.getScheduledFireTime().toInstant());
        } catch (RuntimeException e) {
            throw new JobExecutionException("schedule " + schedule + ": the fire failed: " + e.getMessage(), e);
        }
    }
}
