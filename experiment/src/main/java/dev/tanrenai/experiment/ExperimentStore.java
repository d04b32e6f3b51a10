package dev.tanrenai.experiment;

import dev.tanrenai.datasets.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The experiments, their recorded decisions and the failures they count, in the store's database. */
public final class ExperimentStore {
    private static final String COLUMNS = "id, champion_id, challenger_id, share, started_at, start_seq, started_by,"
            + " config_json, status, ended_at, reason";

    private final Database db;

    public ExperimentStore(Database db) {
        this.db = db;
        db.migrate(ExperimentSchema.COMPONENT, ExperimentSchema.MIGRATIONS);
    }

    /**
     * Starts an experiment; a running one (an older challenger) ends as superseded in the same transaction.
     *
     * @param startSeq the conversation store's last sequence number now: outcomes are read from there on
     */
    public Experiment start(
            String championId,
            String challengerId,
            double share,
            ExperimentConfig config,
            long startSeq,
            Instant at,
            String startedBy) {
        String id = "ab-" + at.getEpochSecond() + "-" + challengerId;
        Experiment e = new Experiment(
                id,
                championId,
                challengerId,
                share,
                at,
                startSeq,
                startedBy,
                config,
                Experiment.Status.RUNNING,
                null,
                null);
        return db.write("start experiment " + id, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE experiments SET status = ?, ended_at = ?, reason = ? WHERE status = ?")) {
                p.setString(1, Experiment.Status.SUPERSEDED.wireName());
                p.setString(2, at.toString());
                p.setString(3, "superseded by experiment " + id + " (challenger " + challengerId + ")");
                p.setString(4, Experiment.Status.RUNNING.wireName());
                p.executeUpdate();
            }
            if (load(c, id).isPresent()) {
                throw new ExperimentException("experiment " + id + " already exists");
            }
            try (PreparedStatement p =
                    c.prepareStatement("INSERT INTO experiments (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
                p.setString(1, id);
                p.setString(2, championId);
                p.setString(3, challengerId);
                p.setDouble(4, share);
                p.setString(5, at.toString());
                p.setLong(6, startSeq);
                p.setString(7, startedBy);
                p.setString(8, VerdictJson.config(config));
                p.setString(9, Experiment.Status.RUNNING.wireName());
                p.setString(10, null);
                p.setString(11, null);
                p.executeUpdate();
            }
            return e;
        });
    }

    /** The running experiment, if any. */
    public Optional<Experiment> running() {
        return db.read("read the running experiment", c -> {
            List<Experiment> found = select(c, "WHERE status = ?", Experiment.Status.RUNNING.wireName());
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
        });
    }

    public Optional<Experiment> get(String id) {
        return db.read("read experiment " + id, c -> load(c, id));
    }

    /** Every experiment, oldest first. */
    public List<Experiment> list() {
        return db.read("list experiments", c -> select(c, "", null));
    }

    /** The latest experiment (running or not), if any. */
    public Optional<Experiment> latest() {
        List<Experiment> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Ends a running experiment (compare-and-set: false when it was no longer running).
     */
    public boolean finish(String id, Experiment.Status status, String reason, Instant at) {
        if (status == Experiment.Status.RUNNING) {
            throw new IllegalArgumentException("finish needs an end status, not running");
        }
        return db.write("end experiment " + id, c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE experiments SET status = ?, ended_at = ?, reason = ? WHERE id = ? AND status = ?")) {
                p.setString(1, status.wireName());
                p.setString(2, at.toString());
                p.setString(3, reason);
                p.setString(4, id);
                p.setString(5, Experiment.Status.RUNNING.wireName());
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Records an evaluation of experiment {@code id}. */
    public DecisionRecord record(String id, Verdict verdict, Instant at, String decidedBy) {
        String numbers = VerdictJson.verdict(verdict).toString();
        return db.write("record a decision of experiment " + id, c -> {
            int no = next(c, "experiment_decisions", "decision_no", id);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO experiment_decisions (experiment_id,"
                    + " decision_no, decided_at, decision, reason, numbers_json, decided_by) VALUES (?,?,?,?,?,?,?)")) {
                p.setString(1, id);
                p.setInt(2, no);
                p.setString(3, at.toString());
                p.setString(4, verdict.decision().wireName());
                p.setString(5, verdict.reason());
                p.setString(6, numbers);
                p.setString(7, decidedBy);
                p.executeUpdate();
            }
            return new DecisionRecord(
                    id, no, at, verdict.decision(), verdict.reason(), VerdictJson.parse(numbers, id), decidedBy);
        });
    }

    /** The recorded evaluations of {@code id}, oldest first. */
    public List<DecisionRecord> decisions(String id) {
        return db.read("read the decisions of experiment " + id, c -> {
            List<DecisionRecord> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT decision_no, decided_at, decision, reason,"
                            + " numbers_json, decided_by FROM experiment_decisions WHERE experiment_id = ? ORDER BY decision_no")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        String where = "decision " + r.getInt(1) + " of experiment " + id;
                        out.add(new DecisionRecord(
                                id,
                                r.getInt(1),
                                Instant.parse(r.getString(2)),
                                decision(r.getString(3), where),
                                r.getString(4),
                                VerdictJson.parse(r.getString(5), where),
                                r.getString(6)));
                    }
                }
            }
            return out;
        });
    }

    /** Records a failed generation of {@code arm} for user {@code userKey} in experiment {@code id}. */
    public void recordError(String id, ExperimentArm arm, String userKey, Instant at) {
        db.write("record a failure in experiment " + id, c -> {
            int no = next(c, "experiment_errors", "error_no", id);
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO experiment_errors (experiment_id, error_no, arm, user_key, at) VALUES (?,?,?,?,?)")) {
                p.setString(1, id);
                p.setInt(2, no);
                p.setString(3, arm.wireName());
                p.setString(4, userKey);
                p.setString(5, at.toString());
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Failures per arm and user of experiment {@code id}. */
    public Map<ExperimentArm, Map<String, Long>> errors(String id) {
        return db.read("read the failures of experiment " + id, c -> {
            Map<ExperimentArm, Map<String, Long>> out = new EnumMap<>(ExperimentArm.class);
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT arm, user_key, COUNT(*) FROM experiment_errors WHERE experiment_id = ? GROUP BY arm, user_key")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        ExperimentArm arm = ExperimentArm.fromWireName(r.getString(1));
                        if (arm == null) {
                            throw new ExperimentException(
                                    "experiment " + id + " has a failure of unknown arm '" + r.getString(1) + "'");
                        }
                        out.computeIfAbsent(arm, a -> new HashMap<>()).put(r.getString(2), r.getLong(3));
                    }
                }
            }
            return out;
        });
    }

    private static Decision decision(String wire, String where) {
        for (Decision d : Decision.values()) {
            if (d.wireName().equals(wire)) {
                return d;
            }
        }
        throw new ExperimentException(where + " has unknown decision '" + wire + "'");
    }

    private static int next(Connection c, String table, String column, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT COALESCE(MAX(" + column + "), 0) FROM " + table + " WHERE experiment_id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1) + 1;
            }
        }
    }

    private static Optional<Experiment> load(Connection c, String id) throws SQLException {
        List<Experiment> found = select(c, "WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<Experiment> select(Connection c, String where, String arg) throws SQLException {
        List<Experiment> out = new ArrayList<>();
        try (PreparedStatement p =
                c.prepareStatement("SELECT " + COLUMNS + " FROM experiments " + where + " ORDER BY started_at, id")) {
            if (arg != null) {
                p.setString(1, arg);
            }
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    String ended = r.getString(10);
                    out.add(new Experiment(
                            id,
                            r.getString(2),
                            r.getString(3),
                            r.getDouble(4),
                            Instant.parse(r.getString(5)),
                            r.getLong(6),
                            r.getString(7),
                            VerdictJson.config(r.getString(8), "experiment " + id),
                            Experiment.Status.fromWireName(r.getString(9)),
                            ended == null ? null : Instant.parse(ended),
                            r.getString(11)));
                }
            }
        }
        return out;
    }
}
