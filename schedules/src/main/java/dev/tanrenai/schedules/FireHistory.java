package dev.tanrenai.schedules;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The fire history of every schedule, a table beside Quartz's in the job store database. */
public final class FireHistory {

    private static final String T = JobStoreDatabase.HISTORY_TABLE;

    /** Told of each fire recorded as not run, after it is recorded (the nightly loop records a skipped run). */
    @FunctionalInterface
    public interface NotRunListener {
        void notRun(String schedule, Instant scheduledAt, FireOutcome outcome, String detail);

        NotRunListener NONE = (schedule, scheduledAt, outcome, detail) -> {};
    }

    private final JobStoreDatabase db;
    private volatile NotRunListener notRunListener = NotRunListener.NONE;

    public FireHistory(JobStoreDatabase db) {
        this.db = db;
    }

    /** Tells {@code listener} of every fire recorded as not run from now on. */
    void onNotRun(NotRunListener listener) {
        this.notRunListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Records a fire whose child has just started; returns its id. */
    long started(String schedule, Instant scheduledAt, Instant startedAt, Path log, boolean misfired, String instance) {
        return insert(schedule, scheduledAt, startedAt, FireOutcome.RUNNING, log, misfired, "", instance);
    }

    /** Records a fire that was not run (skipped or missed). */
    long notRun(
            String schedule,
            Instant scheduledAt,
            FireOutcome outcome,
            String detail,
            boolean misfired,
            String instance) {
        if (outcome != FireOutcome.SKIPPED && outcome != FireOutcome.MISSED) {
            throw new IllegalArgumentException("a fire not run is SKIPPED or MISSED, got " + outcome);
        }
        long id = insert(schedule, scheduledAt, null, outcome, null, misfired, detail, instance);
        notRunListener.notRun(schedule, scheduledAt, outcome, detail);
        return id;
    }

    private long insert(
            String schedule,
            Instant scheduledAt,
            Instant startedAt,
            FireOutcome outcome,
            Path log,
            boolean misfired,
            String detail,
            String instance) {
        return run("record a fire of " + schedule, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO " + T + " (SCHEDULE, SCHEDULED_AT, STARTED_AT, OUTCOME, LOG_PATH, MISFIRED, DETAIL,"
                            + " INSTANCE) VALUES (?,?,?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, schedule);
                p.setLong(2, scheduledAt.toEpochMilli());
                if (startedAt == null) {
                    p.setNull(3, Types.BIGINT);
                } else {
                    p.setLong(3, startedAt.toEpochMilli());
                }
                p.setString(4, outcome.name());
                p.setString(5, log == null ? null : log.toString());
                p.setBoolean(6, misfired);
                p.setString(7, clip(detail));
                p.setString(8, instance);
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** Records how a running fire ended. */
    void finished(long id, FireOutcome outcome, Integer exitCode, Duration duration, String detail) {
        run("record the end of fire " + id, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE " + T + " SET OUTCOME = ?, EXIT_CODE = ?, DURATION_MS = ?, DETAIL = ? WHERE ID = ?")) {
                p.setString(1, outcome.name());
                if (exitCode == null) {
                    p.setNull(2, Types.INTEGER);
                } else {
                    p.setInt(2, exitCode);
                }
                p.setLong(3, duration.toMillis());
                p.setString(4, clip(detail));
                p.setLong(5, id);
                if (p.executeUpdate() != 1) {
                    throw new SQLException("fire " + id + " is not in " + T);
                }
                return null;
            }
        });
    }

    /**
     * Fires still RUNNING that no live scheduler owns (the scheduler was killed while they ran) become
     * DETACHED: the child may have finished on its own; its run record says how.
     *
     * @param liveInstances instance ids of schedulers known to be alive (their fires are left alone)
     */
    int detachOrphans(List<String> liveInstances) {
        return run("mark orphaned fires", c -> {
            StringBuilder sql = new StringBuilder(
                    "UPDATE " + T + " SET OUTCOME = 'DETACHED', DETAIL = ? WHERE OUTCOME" + " = 'RUNNING'");
            for (int i = 0; i < liveInstances.size(); i++) {
                sql.append(" AND INSTANCE <> ?");
            }
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                p.setString(
                        1,
                        "the scheduler stopped without recording the end of this fire (killed or crashed);"
                                + " the child's own run record and log say how it ended");
                for (int i = 0; i < liveInstances.size(); i++) {
                    p.setString(i + 2, liveInstances.get(i));
                }
                return p.executeUpdate();
            }
        });
    }

    /** The fires of {@code schedule}, oldest first (all schedules when null). */
    public List<FireRecord> list(String schedule) {
        return run("read the history of " + (schedule == null ? "all schedules" : schedule), c -> {
            String sql = "SELECT ID, SCHEDULE, SCHEDULED_AT, STARTED_AT, OUTCOME, EXIT_CODE, DURATION_MS, LOG_PATH,"
                    + " MISFIRED, DETAIL FROM " + T + (schedule == null ? "" : " WHERE SCHEDULE = ?")
                    + " ORDER BY SCHEDULED_AT, ID";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                if (schedule != null) {
                    p.setString(1, schedule);
                }
                List<FireRecord> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(read(r));
                    }
                }
                return out;
            }
        });
    }

    private static FireRecord read(ResultSet r) throws SQLException {
        long started = r.getLong(4);
        Instant startedAt = r.wasNull() ? null : Instant.ofEpochMilli(started);
        int exit = r.getInt(6);
        Integer exitCode = r.wasNull() ? null : exit;
        long ms = r.getLong(7);
        Duration duration = r.wasNull() ? null : Duration.ofMillis(ms);
        String log = r.getString(8);
        return new FireRecord(
                r.getLong(1),
                r.getString(2),
                Instant.ofEpochMilli(r.getLong(3)),
                startedAt,
                FireOutcome.valueOf(r.getString(5)),
                exitCode,
                duration,
                log == null ? null : Path.of(log),
                r.getBoolean(9),
                r.getString(10));
    }

    private static String clip(String detail) {
        return detail.length() <= 2000 ? detail : detail.substring(0, 1997) + "...";
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(String what, Work<T> work) {
        try {
            return Connections.retryHandover(() -> {
                try (Connection c = db.connect()) {
                    return work.run(c);
                }
            });
        } catch (SQLException e) {
            throw new ScheduleException(what + " failed on " + db.describe() + ": " + e.getMessage(), e);
        }
    }
}
