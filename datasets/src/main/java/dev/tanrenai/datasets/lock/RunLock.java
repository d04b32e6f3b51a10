package dev.tanrenai.datasets.lock;

import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.store.StoreException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A named lock in the store database, so it holds across processes and hosts on SQLite and
 * PostgreSQL alike: one run at a time per name (e.g. {@link #PIPELINE} for the runs that extract and
 * curate). The holder's row names its command, pid, host, start and heartbeat; a daemon thread moves
 * the heartbeat every {@link Settings#heartbeatEvery}. A second run is refused with a
 * {@link RunLockHeldException} naming the holder — unless the holder is stale: its process has ended
 * (checked on the same host) or its heartbeat is older than {@link Settings#staleAfter}; then the
 * lock is taken over and {@link #recovered()} says from whom and why.
 */
public final class RunLock implements AutoCloseable {

    /** The lock of the runs that change a home's datasets (extract, curate, and the nightly loop). */
    public static final String PIPELINE = "pipeline";

    /**
     * Timing.
     *
     * @param heartbeatEvery how often the holder writes its heartbeat
     * @param staleAfter a heartbeat older than this frees the lock; at least three heartbeats
     */
    public record Settings(Duration heartbeatEvery, Duration staleAfter) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofMinutes(2));

        public Settings {
            if (heartbeatEvery.isNegative() || heartbeatEvery.isZero()) {
                throw new IllegalArgumentException("heartbeatEvery must be > 0, got " + heartbeatEvery);
            }
            if (staleAfter.compareTo(heartbeatEvery.multipliedBy(3)) < 0) {
                throw new IllegalArgumentException(
                        "staleAfter (" + staleAfter + ") must be at least three heartbeats (" + heartbeatEvery + ")");
            }
        }
    }

    /** A lock taken over from a stale holder: who it was and why it counted as stale. */
    public record Recovered(LockHolder previous, String why) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Database db;
    private final LockHolder holder;
    private final Recovered recovered;
    private final Settings settings;
    private final Clock clock;
    private final ScheduledExecutorService heartbeat;
    private volatile Instant lastBeat;
    private volatile RuntimeException beatFailure;
    private volatile boolean lost;
    private boolean closed;

    private RunLock(Database db, LockHolder holder, Recovered recovered, Settings settings, Clock clock) {
        this.db = db;
        this.holder = holder;
        this.recovered = recovered;
        this.settings = settings;
        this.clock = clock;
        this.lastBeat = holder.heartbeat();
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-lock-heartbeat-" + holder.name());
            t.setDaemon(true);
            return t;
        });
        long every = settings.heartbeatEvery().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** {@link #acquire(Database, String, String, Settings)} with the default timing. */
    public static RunLock acquire(Database db, String name, String command) {
        return acquire(db, name, command, Settings.DEFAULTS);
    }

    /**
     * Takes the lock {@code name} for {@code command}, or takes it over from a stale holder.
     *
     * @throws RunLockHeldException when a live run holds it
     */
    public static RunLock acquire(Database db, String name, String command, Settings settings) {
        return acquire(db, name, command, settings, Clock.systemUTC());
    }

    static RunLock acquire(Database db, String name, String command, Settings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        String host = Processes.hostName();
        for (int attempt = 0; ; attempt++) {
            Instant now = clock.instant();
            LockHolder me = new LockHolder(name, newHolderId(now), command, Processes.currentPid(), host, now, now);
            Object[] outcome = new Object[2]; // [0] the live holder that refuses us, [1] what we recovered
            try {
                db.migrate(LockTable.COMPONENT, LockTable.MIGRATIONS);
                db.write("acquire the run lock '" + name + "'", c -> {
                    LockHolder current = LockTable.read(c, name);
                    if (current == null) {
                        LockTable.insert(c, me);
                        return null;
                    }
                    Optional<String> stale = staleness(current, host, now, settings);
                    if (stale.isEmpty()) {
                        outcome[0] = current;
                    } else if (LockTable.takeOver(c, current.holderId(), me) == 1) {
                        outcome[1] = new Recovered(current, stale.get());
                    } else {
                        outcome[0] = LockTable.read(c, name); // another run took it over first
                    }
                    return null;
                });
            } catch (StoreException e) {
                if (attempt < 3 && isConstraintViolation(e)) {
                    continue; // another run inserted the row (or migrated) between our read and write: look again
                }
                throw e;
            }
            if (outcome[0] != null) {
                throw new RunLockHeldException((LockHolder) outcome[0], command, settings.staleAfter(), now);
            }
            return new RunLock(db, me, (Recovered) outcome[1], settings, clock);
        }
    }

    /**
     * The holder of lock {@code name} when it may still be running (not stale by the default settings),
     * else empty: {@code pipeline runs cancel} uses it to tell a live run from a dead one.
     */
    public static Optional<LockHolder> liveHolder(Database db, String name) {
        db.migrate(LockTable.COMPONENT, LockTable.MIGRATIONS);
        LockHolder h = db.read("read the run lock '" + name + "'", c -> LockTable.read(c, name));
        if (h == null
                || staleness(h, Processes.hostName(), Instant.now(), Settings.DEFAULTS)
                        .isPresent()) {
            return Optional.empty();
        }
        return Optional.of(h);
    }

    /** Why {@code h} no longer holds its lock, or empty when it may still be running. */
    static Optional<String> staleness(LockHolder h, String host, Instant now, Settings settings) {
        if (h.host().equals(host)) {
            Optional<String> gone = Processes.gone(h.pid(), h.started());
            if (gone.isPresent()) {
                return gone;
            }
        }
        Duration silent = Duration.between(h.heartbeat(), now);
        if (silent.compareTo(settings.staleAfter()) > 0) {
            return Optional.of("its last heartbeat is " + silent.toSeconds() + " s old (stale after "
                    + settings.staleAfter().toSeconds() + " s)");
        }
        return Optional.empty();
    }

    private static boolean isConstraintViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s
                    && ((s.getSQLState() != null && s.getSQLState().startsWith("23"))
                            || s.getErrorCode() == 19 /* SQLITE_CONSTRAINT */)) {
                return true;
            }
        }
        return false;
    }

    private static String newHolderId(Instant now) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return "run-" + ID_TIME.format(now) + "-" + HexFormat.of().formatHex(random);
    }

    private void beat() {
        try {
            Instant now = clock.instant();
            int rows = db.write(
                    "write the heartbeat of the run lock '" + holder.name() + "'",
                    c -> LockTable.beat(c, holder.name(), holder.holderId(), now));
            if (rows == 0) {
                lost = true;
            } else {
                lastBeat = now;
                beatFailure = null;
            }
        } catch (RuntimeException e) {
            beatFailure = e; // surfaced by ensureHeld(); the next beat tries again
        }
    }

    /** This run's holder row as written when the lock was taken. */
    public LockHolder holder() {
        return holder;
    }

    /** The new id of this acquisition (also a good name for the run's work directory). */
    public String holderId() {
        return holder.holderId();
    }

    /** The stale holder this lock was taken over from, if it was. */
    public Optional<Recovered> recovered() {
        return Optional.ofNullable(recovered);
    }

    /**
     * Checks, in the database, that the lock is still this run's; call it before committing.
     *
     * @throws RunLockLostException when another run took it over
     */
    public void ensureHeld() {
        LockHolder current =
                db.read("read the run lock '" + holder.name() + "'", c -> LockTable.read(c, holder.name()));
        if (lost || current == null || !current.holderId().equals(holder.holderId())) {
            throw new RunLockLostException(
                    "the run lock '" + holder.name() + "' of " + holder.describe(clock.instant())
                            + " was taken over by "
                            + (current == null ? "nobody (it was released)" : current.describe(clock.instant()))
                            + "; stopping before anything is committed",
                    beatFailure);
        }
        Duration silent = Duration.between(lastBeat, clock.instant());
        if (beatFailure != null && silent.compareTo(settings.staleAfter()) > 0) {
            throw new RunLockLostException(
                    "the heartbeat of the run lock '" + holder.name() + "' has failed for " + silent.toSeconds()
                            + " s: other runs may take the lock over; stopping before anything is committed",
                    beatFailure);
        }
    }

    /** Stops the heartbeat and releases the lock if it is still this run's. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.write(
                "release the run lock '" + holder.name() + "'",
                c -> LockTable.release(c, holder.name(), holder.holderId()));
    }
}
