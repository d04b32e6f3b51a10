package dev.tanrenai.pipelines.loop;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one stage on the calling thread, retrying a failure after a delay, under a watchdog.
 *
 * <p>The stage runs on the calling thread, not a worker: DJL/libtorch keep autograd's grad mode per
 * thread, and training a continued adapter on a fresh thread fails ("a leaf Variable that requires grad
 * is being used in an in-place operation"). A stage that outlives its timeout cannot be interrupted
 * (it may be in native code), so the watchdog records the failure ({@code onTimeout}) and then ends the
 * process ({@code halt}, exit code 1 in the CLI); the next run reuses every stage that finished.
 * A cancellation is never retried.
 *
 * @param timeout how long one attempt may take
 * @param retries attempts after the first
 * @param delay wait between attempts
 */
public record StageRunner(Duration timeout, int retries, Duration delay) {

    /** Exit code of a process the watchdog ends. */
    public static final int EXIT_TIMED_OUT = NightlyExitCodes.FAILED;

    public StageRunner {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("stage timeout must be positive, got " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
    }

    /** What {@link #run} returns: the value and how many attempts it took. */
    public record Attempted<T>(T value, int attempts) {}

    /** As {@link #run(LoopStage, Callable, Consumer, Consumer, Runnable)}, halting the JVM on a timeout. */
    public <T> Attempted<T> run(LoopStage stage, Callable<T> work, Consumer<String> log, Consumer<String> onTimeout) {
        return run(stage, work, log, onTimeout, () -> Runtime.getRuntime().halt(EXIT_TIMED_OUT));
    }

    /**
     * @param log told about each failed attempt and the retry
     * @param onTimeout told the timeout's message before {@code halt}
     * @throws StageFailedException naming the stage, after the last attempt failed
     */
    public <T> Attempted<T> run(
            LoopStage stage, Callable<T> work, Consumer<String> log, Consumer<String> onTimeout, Runnable halt) {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "watchdog-" + stage.label());
            t.setDaemon(true);
            return t;
        });
        try {
            for (int attempt = 1; ; attempt++) {
                int current = attempt;
                ScheduledFuture<?> alarm = watchdog.schedule(
                        () -> {
                            onTimeout.accept(stage.label() + ": timed out after " + timeout.toSeconds()
                                    + " s in attempt " + current + " (nightly.stageTimeoutMinutes)");
                            halt.run();
                        },
                        timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
                try {
                    return new Attempted<>(work.call(), attempt);
                } catch (RunCancelledException e) {
                    throw e;
                } catch (Exception e) {
                    if (attempt > retries) {
                        throw new StageFailedException(
                                stage,
                                (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                                        + (attempt > 1 ? " (after " + attempt + " attempts)" : ""),
                                e);
                    }
                    log.accept(stage.label() + ": attempt " + attempt + " failed (" + e.getMessage() + "); retrying in "
                            + delay.toSeconds() + " s");
                } finally {
                    alarm.cancel(false);
                }
                sleep(delay);
            }
        } finally {
            watchdog.shutdownNow();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
