package dev.tanrenai.pipelines.stages;

import dev.tanrenai.datasets.lock.RunLock;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One run that changes a home's datasets (extract, curate): it holds the store's
 * {@link RunLock#PIPELINE} lock, so a second run is refused naming the first, and works in its own
 * directory {@code <runs>/work/<holder id>/}, removed when it ends. Work directories of other runs
 * are those of runs that died (a live one would hold the lock) and are removed on start.
 */
public final class PipelineRun implements AutoCloseable {

    private final RunLock lock;
    private final Path work;

    private PipelineRun(RunLock lock, Path work) {
        this.lock = lock;
        this.work = work;
    }

    /**
     * Takes the lock for {@code command} and creates the work directory.
     *
     * @throws dev.tanrenai.datasets.lock.RunLockHeldException when another live run holds the lock
     */
    public static PipelineRun start(TanrenaiConfig config, String command, Output out) throws IOException {
        RunLock lock = RunLock.acquire(Database.open(config.storeUrl()), RunLock.PIPELINE, command);
        try {
            lock.recovered()
                    .ifPresent(r -> out.line(
                            "lock     took over from " + r.previous().describe(Instant.now()) + ": " + r.why()));
            Path root = workRoot(config);
            Files.createDirectories(root);
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dead : dirs.filter(d -> !d.getFileName().toString().equals(lock.holderId()))
                        .toList()) {
                    deleteRecursively(dead);
                }
            }
            return new PipelineRun(lock, Files.createDirectories(root.resolve(lock.holderId())));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Where runs keep their work directories. */
    public static Path workRoot(TanrenaiConfig config) {
        return config.home().runsDir().resolve("work");
    }

    /**
     * This run's scratch directory for {@code stage}, created when the stage asks for it (at its
     * start), so a run killed mid-stage leaves it behind for the next run to clear.
     */
    public Path work(String stage) {
        Path dir = work.resolve(stage);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(
                    "cannot create the run's work directory " + dir + " for " + stage, e);
        }
    }

    public RunLock lock() {
        return lock;
    }

    /** Removes the work directory and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            deleteRecursively(work);
        } finally {
            lock.close();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
