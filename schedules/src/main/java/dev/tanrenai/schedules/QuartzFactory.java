package dev.tanrenai.schedules;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Builds Quartz schedulers on a {@link JobStoreDatabase}.
 *
 * <p>Quartz keeps JVM-wide registries keyed by scheduler name and data source name. Every instance
 * here gets its own data source name and is taken out of the scheduler registry at once, so several
 * instances on one database (a CLI command beside a running scheduler, clustered instances in a test)
 * never hand each other's objects out.
 */
final class QuartzFactory {
    private QuartzFactory() {}

    /** The Quartz scheduler name, shared by every instance on a database (the SCHED_NAME column). */
    static final String SCHEDULER_NAME = "tanrenai";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    static Scheduler create(JobStoreDatabase db, SchedulerSettings settings, String instanceId) {
        String dataSource = "tanrenai-" + SEQUENCE.incrementAndGet();
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty(
                "org.quartz.scheduler.idleWaitTime",
                Long.toString(settings.idleWait().toMillis()));
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "4");
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "schedule-fire-" + dataSource);
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", db.kind().delegateClass());
        p.setProperty("org.quartz.jobStore.dataSource", dataSource);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        // job data as strings, never serialised Java objects
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty(
                "org.quartz.jobStore.misfireThreshold",
                Long.toString(settings.misfireThreshold().toMillis()));
        p.setProperty(
                "org.quartz.jobStore.isClustered", Boolean.toString(db.kind().clustered()));
        p.setProperty(
                "org.quartz.jobStore.clusterCheckinInterval",
                Long.toString(settings.clusterCheckin().toMillis()));
        p.setProperty(
                "org.quartz.dataSource." + dataSource + ".connectionProvider.class", QuartzConnections.class.getName());
        p.setProperty("org.quartz.dataSource." + dataSource + ".url", db.jdbcUrl());
        synchronized (QuartzFactory.class) {
            try {
                Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
                SchedulerRepository.getInstance().remove(SCHEDULER_NAME);
                return scheduler;
            } catch (SchedulerException e) {
                throw new ScheduleException(
                        "cannot open the Quartz job store in " + db.describe() + ": " + e.getMessage(), e);
            }
        }
    }

    /** A unique instance id: host, pid and a per-process sequence number. */
    static String newInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + SEQUENCE.incrementAndGet();
    }
}
