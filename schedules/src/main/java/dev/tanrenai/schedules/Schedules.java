package dev.tanrenai.schedules;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * The schedules of one job store: add, list, pause, resume, remove, history. Opening it does not start
 * firing ({@link SchedulerService} does); so a command can change schedules while a scheduler runs in
 * another process, which sees the change within {@link SchedulerSettings#idleWait}.
 */
public final class Schedules implements AutoCloseable {

    /** The Quartz group of every schedule's job and trigger. */
    static final String GROUP = "schedules";

    private final JobStoreDatabase db;
    private final Scheduler scheduler;
    private final FireHistory history;
    private final Connection keepOpen;

    private Schedules(JobStoreDatabase db, Scheduler scheduler, Connection keepOpen) {
        this.db = db;
        this.scheduler = scheduler;
        this.history = new FireHistory(db);
        this.keepOpen = keepOpen;
    }

    /** Opens the job store (creating its tables when missing) without starting to fire. */
    public static Schedules open(JobStoreDatabase db, SchedulerSettings settings) {
        return open(db, settings, QuartzFactory.newInstanceId());
    }

    static Schedules open(JobStoreDatabase db, SchedulerSettings settings, String instanceId) {
        db.ensureSchema();
        Connection keepOpen = null;
        if (db.kind() == JobStoreDatabase.Kind.H2) {
            // H2 closes a database with its last connection; this one keeps it (and its auto-server) open.
            try {
                keepOpen = db.connect();
            } catch (SQLException e) {
                throw new ScheduleException("cannot open the job store " + db.describe() + ": " + e.getMessage(), e);
            }
        }
        return new Schedules(db, QuartzFactory.create(db, settings, instanceId), keepOpen);
    }

    public JobStoreDatabase database() {
        return db;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    public FireHistory history() {
        return history;
    }

    /** Adds a schedule; refuses a name that exists. */
    public void add(ScheduleSpec spec) {
        JobDetail job = JobBuilder.newJob(NightlyFireJob.class)
                .withIdentity(spec.name(), GROUP)
                .withDescription("pipeline run nightly, fired by schedule " + spec.name())
                .build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(spec.name(), GROUP)
                .forJob(job)
                .withSchedule(FireTimes.schedule(spec))
                .build();
        quartz("add schedule " + spec.name(), () -> {
            if (scheduler.checkExists(job.getKey())) {
                throw new ScheduleException("a schedule named " + spec.name() + " exists (pipeline schedule remove "
                        + spec.name() + " first)");
            }
            scheduler.scheduleJob(job, trigger);
            return null;
        });
    }

    public void pause(String name) {
        quartz("pause schedule " + name, () -> {
            scheduler.pauseTrigger(trigger(name).getKey());
            return null;
        });
    }

    public void resume(String name) {
        quartz("resume schedule " + name, () -> {
            scheduler.resumeTrigger(trigger(name).getKey());
            return null;
        });
    }

    /** Removes a schedule; its history stays. */
    public void remove(String name) {
        quartz("remove schedule " + name, () -> {
            trigger(name);
            scheduler.deleteJob(JobKey.jobKey(name, GROUP));
            return null;
        });
    }

    /** The schedule named {@code name}. */
    public ScheduleInfo get(String name) {
        return quartz("read schedule " + name, () -> info(trigger(name)));
    }

    /** Every schedule, by name. */
    public List<ScheduleInfo> list() {
        return quartz("list schedules", () -> {
            List<ScheduleInfo> out = new ArrayList<>();
            Set<TriggerKey> keys = scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(GROUP));
            for (TriggerKey key : keys.stream()
                    .sorted(Comparator.comparing(TriggerKey::getName))
                    .toList()) {
                Trigger t = scheduler.getTrigger(key);
                if (t instanceof CronTrigger cron) {
                    out.add(info(cron));
                }
            }
            return out;
        });
    }

    /** The fires of {@code name}, oldest first; also for a removed schedule. */
    public List<FireRecord> history(String name) {
        ScheduleSpec.requireName(name);
        return history.list(name);
    }

    private ScheduleInfo info(CronTrigger t) throws SchedulerException {
        ScheduleSpec spec = new ScheduleSpec(
                t.getKey().getName(),
                t.getCronExpression(),
                t.getTimeZone().toZoneId(),
                MisfirePolicy.ofQuartz(t.getMisfireInstruction()));
        String state =
                switch (scheduler.getTriggerState(t.getKey())) {
                    case NORMAL, COMPLETE -> "active";
                    case PAUSED -> "paused";
                    case BLOCKED -> "running";
                    case ERROR -> "error";
                    case NONE -> throw new ScheduleException("schedule " + spec.name() + " vanished while listed");
                };
        List<Instant> next = new ArrayList<>();
        if (t.getNextFireTime() != null) {
            Instant first = t.getNextFireTime().toInstant();
            next.add(first);
            next.addAll(FireTimes.following(t, first, 2));
        }
        List<FireRecord> fires = history.list(spec.name());
        return new ScheduleInfo(spec, state, next, fires.isEmpty() ? null : fires.get(fires.size() - 1));
    }

    private CronTrigger trigger(String name) throws SchedulerException {
        ScheduleSpec.requireName(name);
        Trigger t = scheduler.getTrigger(TriggerKey.triggerKey(name, GROUP));
        if (t == null) {
            throw new ScheduleException(
                    "no schedule named " + name + " in " + db.describe() + " (pipeline schedule list shows them)");
        }
        if (!(t instanceof CronTrigger cron)) {
            throw new ScheduleException("schedule " + name + " has a "
                    + t.getClass().getSimpleName() + ", not a cron trigger; remove and add it again");
        }
        return cron;
    }

    interface QuartzWork<T> {
        T run() throws SchedulerException;
    }

    <T> T quartz(String what, QuartzWork<T> work) {
        try {
            return Connections.retryHandover(work::run);
        } catch (SchedulerException e) {
            throw new ScheduleException(what + " failed on " + db.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Shuts this instance down: waits for running fires (see {@link SchedulerService#close} for the grace). */
    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new ScheduleException(
                    "cannot shut the scheduler on " + db.describe() + " down: " + e.getMessage(), e);
        } finally {
            if (keepOpen != null) {
                try {
                    // closing can meet the same auto-server handover as opening ("Lock file recently
                    // modified" while another process takes the server over): retried like opening
                    Connections.retryHandover(() -> {
                        keepOpen.close();
                        return null;
                    });
                } catch (SQLException e) {
                    throw new ScheduleException(
                            "cannot close the job store " + db.describe() + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
