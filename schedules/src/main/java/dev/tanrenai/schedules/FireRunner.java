package dev.tanrenai.schedules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one fire: starts the child process with its own log file, waits for it and records the fire in
 * the history. A child that crashes, is killed or runs out of memory ends only itself: its exit code
 * is recorded and the scheduler goes on.
 */
final class FireRunner {

    /** Key of the runner in the Quartz scheduler context (in memory, never persisted). */
    static final String CONTEXT_KEY = "tanrenai.fireRunner";

    private static final Logger LOG = LoggerFactory.getLogger(FireRunner.class);
    private static final DateTimeFormatter LOG_NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path home;
    private final Path logsDir;
    private final FireCommand command;
    private final FireHistory history;
    private final String instanceId;
    private final Set<String> pendingRunOnce = ConcurrentHashMap.newKeySet();
    private final Map<Thread, AtomicReference<Process>> running = new ConcurrentHashMap<>();
    private volatile boolean detaching;

    FireRunner(Path home, Path logsDir, FireCommand command, FireHistory history, String instanceId) {
        this.home = home;
        this.logsDir = logsDir;
        this.command = command;
        this.history = history;
        this.instanceId = instanceId;
    }

    String instanceId() {
        return instanceId;
    }

    /** The next fire of {@code schedule} is the one run-once run after a misfire. */
    void runOnceAfterMisfire(String schedule) {
        pendingRunOnce.add(schedule);
    }

    void fire(String schedule, Instant scheduledAt) {
        AtomicReference<Process> child = new AtomicReference<>();
        running.put(Thread.currentThread(), child);
        try {
            if (detaching) {
                history.notRun(
                        schedule,
                        scheduledAt,
                        FireOutcome.SKIPPED,
                        "the scheduler was stopping when this fire came due; not started",
                        false,
                        instanceId);
                return;
            }
            run(schedule, scheduledAt, child);
        } finally {
            running.remove(Thread.currentThread());
        }
    }

    private void run(String schedule, Instant scheduledAt, AtomicReference<Process> child) {
        boolean misfired = pendingRunOnce.remove(schedule);
        Instant started = Instant.now();
        Path log = logsDir.resolve(schedule).resolve(LOG_NAME.format(started) + ".log");
        List<String> argv = command.resolve(home, schedule);
        long id = history.started(schedule, scheduledAt, started, log, misfired, instanceId);
        Process process;
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "# schedule " + schedule + ", fire " + id + ", scheduled " + scheduledAt + ", started " + started
                            + (misfired ? " (run once after a misfire)" : "") + "\n# " + String.join(" ", argv)
                            + "\n",
                    StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().put("TANRENAI_HOME", home.toString());
            pb.environment().put("TANRENAI_SCHEDULE", schedule);
            pb.environment().put("TANRENAI_FIRE_ID", Long.toString(id));
            process = pb.start();
        } catch (IOException | UncheckedIOException e) {
            history.finished(
                    id,
                    FireOutcome.FAILED,
                    null,
                    Duration.between(started, Instant.now()),
                    "cannot start " + argv.get(0) + " (log " + log + "): " + e.getMessage());
            LOG.error("schedule {}: fire {} could not start {}: {}", schedule, id, argv.get(0), e.getMessage());
            return;
        }
        child.set(process);
        boolean interrupted = false;
        try {
            // polled, never interrupted: an interrupt inside H2's file I/O would close the job store
            while (!process.waitFor(100, TimeUnit.MILLISECONDS) && !detaching) {}
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (process.isAlive()) {
            history.finished(
                    id,
                    FireOutcome.DETACHED,
                    null,
                    Duration.between(started, Instant.now()),
                    "the scheduler stopped while the child (pid " + process.pid() + ") ran; it was left to finish"
                            + " on its own; its log continues in " + log);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        int exit = process.exitValue();
        history.finished(
                id,
                exit == 0 ? FireOutcome.SUCCEEDED : FireOutcome.FAILED,
                exit,
                Duration.between(started, Instant.now()),
                ExitCodes.describe(exit) + (exit == 0 ? "" : "; see the log " + log));
        if (exit != 0) {
            LOG.warn("schedule {}: fire {} ended with {} (log {})", schedule, id, ExitCodes.describe(exit), log);
        }
    }

    /** How many fires are inside this runner now. */
    int active() {
        return running.size();
    }

    /** Stops waiting for running children: each is recorded as detached and left to finish on its own. */
    void detachRunning() {
        detaching = true;
    }

    /** Pids of the children running now. */
    List<Long> runningPids() {
        return running.values().stream()
                .map(AtomicReference::get)
                .filter(java.util.Objects::nonNull)
                .map(Process::pid)
                .toList();
    }
}
