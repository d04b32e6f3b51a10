package dev.tanrenai.models.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A flag another thread sets to stop a running generation. The generating thread checks it after
 * every token, so a cancelled generation ends within one token's time.
 */
public final class CancellationToken {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** Requests cancellation; idempotent and safe from any thread. */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
