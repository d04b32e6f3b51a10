package dev.tanrenai.schedules;

import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.lock.RunLock;
import dev.tanrenai.datasets.store.Database;
import java.util.List;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running scheduler: fires every schedule of the home's job store by starting the fire command as a
 * child process, until {@link #close}.
 *
 * <p>On the embedded store one scheduler runs per home: it holds the store's {@value #LOCK} run lock
 * (a second is refused naming the first). On PostgreSQL any number run, clustered: Quartz's row locks
 * make each trigger fire on exactly one of them.
 */
public final class SchedulerService implements AutoCloseable {

    /** The run lock a scheduler on the embedded store holds. */
    public static final String LOCK = "scheduler";

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);

    private final Schedules schedules;
    private final FireRunner runner;
    private final SchedulerSettings settings;
    private final RunLock lock;
    private boolean closed;

    private SchedulerService(Schedules schedules, FireRunner runner, SchedulerSettings settings, RunLock lock) {
        this.schedules = schedules;
        this.runner = runner;
        this.settings = settings;
        this.lock = lock;
    }

    /**
     * Starts firing the schedules of {@code home} (its job store follows {@code storeUrl}, see
     * {@link JobStoreDatabase#forStore}).
     */
    public static SchedulerService start(
            TanrenaiHome home, String storeUrl, FireCommand command, SchedulerSettings settings) {
        return start(home, storeUrl, command, settings, FireHistory.NotRunListener.NONE);
    }

    /** As {@link #start(TanrenaiHome, String, FireCommand, SchedulerSettings)}, telling {@code notRun} of each fire not run. */
    public static SchedulerService start(
            TanrenaiHome home,
            String storeUrl,
            FireCommand command,
            SchedulerSettings settings,
            FireHistory.NotRunListener notRun) {
        return start(home, storeUrl, command, settings, QuartzFactory.newInstanceId(), notRun);
    }

    static SchedulerService start(
            TanrenaiHome home, String storeUrl, FireCommand command, SchedulerSettings settings, String instanceId) {
        return start(home, storeUrl, command, settings, instanceId, FireHistory.NotRunListener.NONE);
    }

    static SchedulerService start(
            TanrenaiHome home,
            String storeUrl,
            FireCommand command,
            SchedulerSettings settings,
            String instanceId,
            FireHistory.NotRunListener notRun) {
        JobStoreDatabase db = JobStoreDatabase.forStore(home, storeUrl);
        RunLock lock =
                db.kind().clustered() ? null : RunLock.acquire(Database.open(storeUrl), LOCK, "pipeline scheduler");
        Schedules schedules = null;
        try {
            schedules = Schedules.open(db, settings, instanceId);
            schedules.history().onNotRun(notRun);
            if (lock != null) {
                int orphans = schedules.history().detachOrphans(List.of());
                if (orphans > 0) {
                    LOG.warn(
                            "{} fire(s) left RUNNING by a scheduler that stopped without recording them are now"
                                    + " DETACHED",
                            orphans);
                }
            }
            FireRunner runner = new FireRunner(
                    home.root(), home.schedulesDir().resolve("logs"), command, schedules.history(), instanceId);
            schedules.scheduler().getContext().put(FireRunner.CONTEXT_KEY, runner);
            schedules
                    .scheduler()
                    .getListenerManager()
                    .addTriggerListener(new MisfireRecorder(runner, schedules.history(), settings.misfireThreshold()));
            schedules.scheduler().start();
            return new SchedulerService(schedules, runner, settings, lock);
        } catch (SchedulerException | RuntimeException e) {
            if (schedules != null) {
                schedules.close();
            }
            if (lock != null) {
                lock.close();
            }
            if (e instanceof ScheduleException se) {
                throw se;
            }
            throw new ScheduleException("cannot start the scheduler on " + db.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The schedules this scheduler fires (add, list, history... through the running instance). */
    public Schedules schedules() {
        return schedules;
    }

    public String instanceId() {
        return runner.instanceId();
    }

    /** Waits up to the shutdown grace for every fire to end; true when none is left. */
    private boolean awaitIdle() throws SchedulerException, InterruptedException {
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        while (true) {
            boolean idle = runner.active() == 0
                    && schedules.scheduler().getCurrentlyExecutingJobs().isEmpty();
            if (idle || System.nanoTime() >= deadline) {
                return idle;
            }
            Thread.sleep(50);
        }
    }

    /**
     * Stops gracefully: no new fires; a running child gets {@link SchedulerSettings#shutdownGrace} to
     * finish (its end is recorded), after which it is left to finish on its own and its fire is
     * recorded as {@link FireOutcome#DETACHED} with its pid. Then the run lock is released.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            schedules.scheduler().standby();
            if (!awaitIdle()) {
                LOG.warn(
                        "scheduler stopping: child(ren) {} still running after {}; left to finish on their own",
                        runner.runningPids(),
                        settings.shutdownGrace());
                runner.detachRunning();
            }
        } catch (SchedulerException e) {
            throw new ScheduleException("cannot stop the scheduler " + instanceId() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runner.detachRunning();
        } finally {
            try {
                schedules.close();
            } finally {
                if (lock != null) {
                    lock.close();
                }
            }
        }
    }
}
