package dev.tanrenai.pipelines.loop;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs one stage with a timeout, retrying a failure after a delay. A stage that times out is
 * interrupted and fails; it is not retried (a stage that ran out of time would most likely do so again).
 * A cancellation is never retried.
 *
 * @param timeout how long one attempt may take
 * @param retries attempts after the first
 * @param delay wait between attempts
 */
public record StageRunner(Duration timeout, int retries, Duration delay) {

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

    /**
     * @param log told about each failed attempt and the retry
     * @throws StageFailedException naming the stage, after the last attempt failed or an attempt timed out
     */
    public <T> Attempted<T> run(LoopStage stage, Callable<T> work, Consumer<String> log) {
        for (int attempt = 1; ; attempt++) {
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "loop-" + stage.label());
                t.setDaemon(true);
                return t;
            });
            try {
                Future<T> f = executor.submit(work);
                try {
                    return new Attempted<>(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS), attempt);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    throw new StageFailedException(
                            stage, "timed out after " + timeout.toSeconds() + " s (nightly.stageTimeoutMinutes)", e);
                } catch (InterruptedException e) {
                    f.cancel(true);
                    Thread.currentThread().interrupt();
                    throw new StageFailedException(stage, "interrupted", e);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RunCancelledException c) {
                        throw c;
                    }
                    if (attempt > retries) {
                        throw new StageFailedException(
                                stage,
                                (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                                        + (attempt > 1 ? " (after " + attempt + " attempts)" : ""),
                                cause);
                    }
                    log.accept(stage.label() + ": attempt " + attempt + " failed (" + cause.getMessage()
                            + "); retrying in " + delay.toSeconds() + " s");
                    sleep(delay);
                }
            } finally {
                executor.shutdownNow();
            }
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
