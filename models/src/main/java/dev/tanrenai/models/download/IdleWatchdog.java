package dev.tanrenai.models.download;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Closes a body stream that has delivered nothing for too long, so a stalled read fails and is retried. */
final class IdleWatchdog implements AutoCloseable {
    private final AtomicLong lastProgress = new AtomicLong(System.nanoTime());
    private final AtomicBoolean fired = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicReference<IOException> closeFailure =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final ScheduledExecutorService timer;

    IdleWatchdog(InputStream body, Duration idleTimeout) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tanrenai-download-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, idleTimeout.toMillis() / 4);
        timer.scheduleAtFixedRate(
                () -> {
                    if (System.nanoTime() - lastProgress.get() > idleTimeout.toNanos()
                            && fired.compareAndSet(false, true)) {
                        try {
                            body.close();
                        } catch (IOException e) {
                            closeFailure.set(e); // reported with the transfer's failure
                        }
                    }
                },
                period,
                period,
                TimeUnit.MILLISECONDS);
    }

    void progress() {
        lastProgress.set(System.nanoTime());
    }

    boolean fired() {
        return fired.get();
    }

    /** Why closing the stalled stream failed, or null. */
    IOException closeFailure() {
        return closeFailure.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
