package dev.tanrenai.datasets.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * A JDBC database holding the conversation store and the model registry.
 *
 * <p>Embedded default: one SQLite file in WAL mode, so one writer (the server) and any number of
 * readers (pipelines) work at the same time, in one process or several. Any other JDBC URL (e.g.
 * PostgreSQL for a team) gets the same schema; its driver must be on the classpath.
 *
 * <p>Connections are opened per unit of work and closed by the caller (try-with-resources). Writes
 * go through {@link #write}, which serialises writers of this process and runs in one transaction;
 * across processes SQLite's {@code BEGIN IMMEDIATE} plus the busy timeout serialise them.
 */
public final class Database {

    /** How long a SQLite connection waits for a lock held by another process before failing. */
    public static final int BUSY_TIMEOUT_MILLIS = 30_000;

    private final String jdbcUrl;
    private final boolean sqlite;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final boolean pooled;
    private Connection held; // guarded by writeLock; the one connection of a pooled database

    private Database(String jdbcUrl, boolean pooled) {
        this.jdbcUrl = jdbcUrl;
        this.sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
        this.pooled = pooled;
    }

    /**
     * Opens {@code jdbcUrl} like {@link #open} for one busy writer (the server's conversation log):
     * every {@link #write} and {@link #read} of this instance runs, one at a time, on one connection
     * kept open until {@link #closePooled}, instead of a new connection each (on SQLite a new
     * connection re-reads the schema, and the last one closing checkpoints and deletes the WAL file,
     * which the next one creates again: 4 fsyncs per unit of work). A connection that failed is
     * closed and replaced on the next use. Transactions and their guarantees are those of
     * {@link #write}: committed before it returns.
     */
    public static Database openPooled(String jdbcUrl) {
        Database plain = open(jdbcUrl); // checks the URL, creates the directory, sets WAL
        return new Database(plain.jdbcUrl, true);
    }

    /** Closes the connection a {@link #openPooled pooled} database holds; the next use opens another. */
    public void closePooled() {
        writeLock.lock();
        try {
            if (held != null) {
                Connection c = held;
                held = null;
                c.close();
            }
        } catch (SQLException e) {
            throw new StoreException("closing the pooled connection to " + jdbcUrl + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** The held connection (the caller holds the write lock). */
    private Connection heldConnection() throws SQLException {
        if (held == null || held.isClosed()) {
            held = connect();
        }
        return held;
    }

    /** Drops the held connection after a failure on it (the caller holds the write lock). */
    private void dropHeld(Exception failure) {
        if (held != null) {
            try {
                held.close();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
            held = null;
        }
    }

    /** Opens (creating if needed) the database at {@code jdbcUrl}; for SQLite, its parent directory too. */
    public static Database open(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw new StoreException(
                    "store.url must be a JDBC URL (jdbc:sqlite:/path/store.db, jdbc:postgresql://...), got '" + jdbcUrl
                            + "'");
        }
        Database db = new Database(jdbcUrl, false);
        if (db.sqlite) {
            String file = jdbcUrl.substring("jdbc:sqlite:".length());
            if (!file.isEmpty() && !file.startsWith(":memory:") && !file.startsWith("file:")) {
                Path parent = Path.of(file).toAbsolutePath().getParent();
                try {
                    Files.createDirectories(parent);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the directory of the store " + file, e);
                }
            }
            try (Connection c = db.connect();
                    Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
            } catch (SQLException e) {
                throw new StoreException("cannot open the store at " + jdbcUrl + ": " + e.getMessage(), e);
            }
        }
        return db;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public boolean isSqlite() {
        return sqlite;
    }

    /**
     * A new connection for writing, in auto-commit mode; the caller closes it. On SQLite its
     * transactions begin IMMEDIATE (taking the write lock up front, so two writers never deadlock
     * upgrading a read lock).
     */
    public Connection connect() throws SQLException {
        return connect(SQLiteConfig.TransactionMode.IMMEDIATE);
    }

    /** A new connection for reading; on SQLite its transactions begin DEFERRED and never block the writer. */
    public Connection connectForRead() throws SQLException {
        return connect(SQLiteConfig.TransactionMode.DEFERRED);
    }

    private Connection connect(SQLiteConfig.TransactionMode mode) throws SQLException {
        if (sqlite) {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
            config.enforceForeignKeys(true);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setTransactionMode(mode);
            return DriverManager.getConnection(jdbcUrl, config.toProperties());
        }
        return DriverManager.getConnection(jdbcUrl, new Properties());
    }

    /** Work done inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one write transaction: committed if it returns, rolled back if it throws.
     *
     * @param what a description for the error message, e.g. "append conversation c-42"
     */
    public <T> T write(String what, Work<T> work) {
        writeLock.lock();
        try {
            if (!pooled) {
                try (Connection c = connect()) {
                    return inTransaction(c, work);
                }
            }
            try {
                return inTransaction(heldConnection(), work);
            } catch (SQLException | RuntimeException e) {
                dropHeld(e);
                throw e;
            }
        } catch (SQLException e) {
            if (sqlite && isFull(e)) {
                throw new StoreFullException(
                        what + " failed: no space left on device for the store " + where()
                                + " (SQLite: " + e.getMessage()
                                + "); the transaction was rolled back, the store holds what"
                                + " it held before. Free space and run it again.",
                        e);
            }
            throw new StoreException(what + " failed on " + jdbcUrl + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        T result;
        try {
            result = work.run(c);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackAfter(c, e);
            throw e;
        }
        // sqlite-jdbc begins the next transaction right after a commit (IMMEDIATE: with the write lock); a
        // held connection must not keep it
        c.setAutoCommit(true);
        return result;
    }

    /**
     * Rolls back after {@code failure}. SQLite rolls back by itself on some errors (a full disk among
     * them), and the rollback then fails with "no transaction is active": that is kept as suppressed
     * by {@code failure}, which is what the caller sees.
     */
    private static void rollbackAfter(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** SQLITE_FULL (13), in the primary result code of {@code e} or a cause. */
    private static boolean isFull(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (s.getErrorCode() & 0xff) == 13) {
                return true;
            }
        }
        return false;
    }

    /** The SQLite store's file. */
    private Path where() {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        return Path.of(query >= 0 ? file.substring(0, query) : file).toAbsolutePath();
    }

    /** Runs {@code work} on a read connection (a consistent snapshot inside one transaction). */
    public <T> T read(String what, Work<T> work) {
        if (pooled) { // on the held connection: a write transaction that only reads
            return write(what, work);
        }
        try (Connection c = connectForRead()) {
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed on " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies the not-yet-applied migrations of {@code component}, in version order and in one
     * transaction, recording them in {@code schema_migrations}. Safe to call on every start and from
     * several processes at once (the write lock serialises them; the second finds nothing to do).
     *
     * @return the component's schema version after migrating
     */
    public int migrate(String component, List<Migration> migrations) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new StoreException("migrations of " + component + " must be numbered 1.." + migrations.size()
                        + " in order; position " + (i + 1) + " has version "
                        + migrations.get(i).version());
            }
        }
        return write("migrate " + component, c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                        + "component VARCHAR(64) NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL, "
                        + "applied_at TEXT NOT NULL, PRIMARY KEY (component, version))");
            }
            int current = currentVersion(c, component);
            if (current > migrations.size()) {
                throw new StoreException("the store's " + component + " schema is at version " + current
                        + " but this Tanrenai knows only up to " + migrations.size() + ": upgrade Tanrenai");
            }
            for (Migration m : migrations.subList(current, migrations.size())) {
                try (Statement s = c.createStatement()) {
                    for (String sql : m.statements()) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO schema_migrations (component, version, description, applied_at) VALUES (?,?,?,?)")) {
                    p.setString(1, component);
                    p.setInt(2, m.version());
                    p.setString(3, m.description());
                    p.setString(4, Instant.now().toString());
                    p.executeUpdate();
                }
            }
            return migrations.size();
        });
    }

    /** The schema version of {@code component} (0 when it was never migrated). */
    public int schemaVersion(String component) {
        return read("read the schema version of " + component, c -> {
            try (ResultSet tables = c.getMetaData().getTables(null, null, "schema_migrations", null)) {
                if (!tables.next()) {
                    return 0;
                }
            }
            return currentVersion(c, component);
        });
    }

    private static int currentVersion(Connection c, String component) throws SQLException {
        try (PreparedStatement p =
                c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?")) {
            p.setString(1, component);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
