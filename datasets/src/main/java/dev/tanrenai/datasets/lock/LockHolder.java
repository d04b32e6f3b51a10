package dev.tanrenai.datasets.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Who holds a {@link RunLock}: one row of the store's {@code run_locks} table.
 *
 * @param name the lock, e.g. {@link RunLock#PIPELINE}
 * @param holderId a new id per acquisition, also the name of the holder's work directory
 * @param command what the holder runs, e.g. {@code run curate}
 * @param pid the holder's process id
 * @param host the holder's host name
 * @param started when it took the lock
 * @param heartbeat when it last said it is alive
 */
public record LockHolder(
        String name, String holderId, String command, long pid, String host, Instant started, Instant heartbeat) {

    public LockHolder {
        requireText(name, "name");
        requireText(holderId, "holderId");
        requireText(command, "command");
        requireText(host, "host");
        if (pid < 1) {
            throw new IllegalArgumentException("lock holder pid must be >= 1, got " + pid);
        }
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(heartbeat, "heartbeat");
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("lock holder " + field + " must be a non-empty string");
        }
    }

    /** For people: {@code 'run curate' (holder H, pid 123 on host h, started T, last heartbeat 4 s ago)}. */
    public String describe(Instant now) {
        long ago = Math.max(0, Duration.between(heartbeat, now).toSeconds());
        return "'" + command + "' (holder " + holderId + ", pid " + pid + " on host " + host + ", started " + started
                + ", last heartbeat " + ago + " s ago)";
    }
}
