package dev.tanrenai.datasets.lock;

/**
 * This run's {@link RunLock} is no longer its own: another run took it over as stale (this run
 * stalled past the stale limit, or its heartbeat could not be written). The run must stop before it
 * commits anything, since the other run now works on the same data.
 */
public class RunLockLostException extends RuntimeException {
    public RunLockLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
