package dev.tanrenai.datasets.lock;

import java.time.Duration;
import java.time.Instant;

/** A {@link RunLock} is held by another live run; the message names it and says when it counts as stale. */
public class RunLockHeldException extends RuntimeException {

    private final transient LockHolder holder;

    public RunLockHeldException(LockHolder holder, String wanted, Duration staleAfter, Instant now) {
        super("cannot start '" + wanted + "': another run holds the '" + holder.name() + "' lock of this store: "
                + holder.describe(now) + ". Wait for it to finish; if that process is gone, its lock is taken over"
                + " at once on the same host, or elsewhere once its heartbeat is older than "
                + staleAfter.toSeconds() + " s");
        this.holder = holder;
    }

    /** The run that holds the lock. */
    public LockHolder holder() {
        return holder;
    }
}
