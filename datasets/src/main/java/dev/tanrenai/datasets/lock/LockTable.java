package dev.tanrenai.datasets.lock;

import dev.tanrenai.datasets.store.Migration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The SQL of the {@code run_locks} table: one row per held lock (portable SQLite and PostgreSQL). */
final class LockTable {

    static final String COMPONENT = "run-locks";

    static final List<Migration> MIGRATIONS = List.of(new Migration(
            1,
            "run locks: one row per held lock with its holder's process, host and heartbeat",
            List.of("CREATE TABLE run_locks (name VARCHAR(100) PRIMARY KEY, holder VARCHAR(64) NOT NULL, "
                    + "command TEXT NOT NULL, pid BIGINT NOT NULL, host VARCHAR(255) NOT NULL, "
                    + "started VARCHAR(40) NOT NULL, heartbeat VARCHAR(40) NOT NULL)")));

    private LockTable() {}

    /** The holder of {@code name}, or null when the lock is free. */
    static LockHolder read(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT holder, command, pid, host, started, heartbeat FROM run_locks WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return new LockHolder(
                        name,
                        r.getString(1),
                        r.getString(2),
                        r.getLong(3),
                        r.getString(4),
                        Instant.parse(r.getString(5)),
                        Instant.parse(r.getString(6)));
            }
        }
    }

    static void insert(Connection c, LockHolder h) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO run_locks (name, holder, command, pid, host, "
                + "started, heartbeat) VALUES (?,?,?,?,?,?,?)")) {
            p.setString(1, h.name());
            p.setString(2, h.holderId());
            p.setString(3, h.command());
            p.setLong(4, h.pid());
            p.setString(5, h.host());
            p.setString(6, h.started().toString());
            p.setString(7, h.heartbeat().toString());
            p.executeUpdate();
        }
    }

    /** Replaces the row of {@code previousHolder} by {@code h}; 0 when another run replaced it first. */
    static int takeOver(Connection c, String previousHolder, LockHolder h) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE run_locks SET holder = ?, command = ?, pid = ?, "
                + "host = ?, started = ?, heartbeat = ? WHERE name = ? AND holder = ?")) {
            p.setString(1, h.holderId());
            p.setString(2, h.command());
            p.setLong(3, h.pid());
            p.setString(4, h.host());
            p.setString(5, h.started().toString());
            p.setString(6, h.heartbeat().toString());
            p.setString(7, h.name());
            p.setString(8, previousHolder);
            return p.executeUpdate();
        }
    }

    /** Moves the heartbeat of {@code holder}; 0 when the lock is no longer its own. */
    static int beat(Connection c, String name, String holder, Instant at) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("UPDATE run_locks SET heartbeat = ? WHERE name = ? AND holder = ?")) {
            p.setString(1, at.toString());
            p.setString(2, name);
            p.setString(3, holder);
            return p.executeUpdate();
        }
    }

    static int release(Connection c, String name, String holder) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM run_locks WHERE name = ? AND holder = ?")) {
            p.setString(1, name);
            p.setString(2, holder);
            return p.executeUpdate();
        }
    }
}
