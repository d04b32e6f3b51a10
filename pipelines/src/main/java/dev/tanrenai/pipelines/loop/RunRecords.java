package dev.tanrenai.pipelines.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.store.Migration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/** The nightly runs and their stages in the store database (tables {@code loop_runs}, {@code loop_stages}). */
public final class RunRecords {

    static final String COMPONENT = "nightly-loop";

    static final List<Migration> MIGRATIONS = List.of(new Migration(
            1,
            "nightly loop: runs, their stages, and the curated batches with their refusals",
            List.of(
                    "CREATE TABLE loop_runs (id VARCHAR(64) PRIMARY KEY, trigger_kind VARCHAR(16) NOT NULL, "
                            + "resumes VARCHAR(64), state VARCHAR(16) NOT NULL, reason TEXT, started VARCHAR(40) NOT NULL, "
                            + "ended VARCHAR(40), error_stage VARCHAR(16), error TEXT, dir TEXT NOT NULL, "
                            + "cancel_requested INTEGER NOT NULL DEFAULT 0)",
                    "CREATE TABLE loop_stages (run_id VARCHAR(64) NOT NULL, stage VARCHAR(16) NOT NULL, "
                            + "position INTEGER NOT NULL, state VARCHAR(16) NOT NULL, started VARCHAR(40), "
                            + "ended VARCHAR(40), attempts INTEGER NOT NULL, stage_key VARCHAR(64), input_hash VARCHAR(64), "
                            + "output_hash VARCHAR(64), counts_json TEXT NOT NULL, output_json TEXT NOT NULL, error TEXT, "
                            + "PRIMARY KEY (run_id, stage))",
                    "CREATE TABLE loop_batches (snapshot_id VARCHAR(128) PRIMARY KEY, state VARCHAR(16) NOT NULL, "
                            + "refusals INTEGER NOT NULL, last_evaluation VARCHAR(64), last_run VARCHAR(64), "
                            + "updated VARCHAR(40) NOT NULL)")));

    // the java.time module only: findAndRegisterModules() would also pick up Jackson's Scala module (on the
    // CLI's class path with the Spark runner), which reads JSON arrays as Scala collections, not java.util.List
    private static final ObjectMapper JSON =
            new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());

    private final Database db;

    public RunRecords(Database db) {
        this.db = db;
        db.migrate(COMPONENT, MIGRATIONS);
    }

    public Database database() {
        return db;
    }

    public void create(String id, Trigger trigger, String resumes, Path dir, Instant started) {
        db.write("record nightly run " + id, c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO loop_runs (id, trigger_kind, resumes, state, "
                    + "started, dir, cancel_requested) VALUES (?,?,?,?,?,?,0)")) {
                p.setString(1, id);
                p.setString(2, trigger.label());
                p.setString(3, resumes);
                p.setString(4, RunState.RUNNING.label());
                p.setString(5, started.toString());
                p.setString(6, dir.toString());
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Ends run {@code id} in {@code state}. */
    public void finish(String id, RunState state, String reason, LoopStage errorStage, String error) {
        db.write("end nightly run " + id, c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE loop_runs SET state = ?, reason = ?, ended = ?, "
                    + "error_stage = ?, error = ? WHERE id = ?")) {
                p.setString(1, state.label());
                p.setString(2, reason);
                p.setString(3, Instant.now().toString());
                p.setString(4, errorStage == null ? null : errorStage.label());
                p.setString(5, error);
                p.setString(6, id);
                p.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Marks every run still recorded as running, other than {@code except}, as interrupted: called by a
     * run holding the loop's lock, so none of them can be alive.
     */
    public List<String> markInterrupted(String except) {
        return db.write("mark dead nightly runs interrupted", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM loop_runs WHERE state = ? AND id <> ?")) {
                p.setString(1, RunState.RUNNING.label());
                p.setString(2, except);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
            }
            for (String id : ids) {
                try (PreparedStatement p = c.prepareStatement("UPDATE loop_runs SET state = ?, ended = ?, "
                        + "reason = 'its process ended before the run did (killed or crashed)' WHERE id = ?")) {
                    p.setString(1, RunState.INTERRUPTED.label());
                    p.setString(2, Instant.now().toString());
                    p.setString(3, id);
                    p.executeUpdate();
                }
                try (PreparedStatement p = c.prepareStatement("UPDATE loop_stages SET state = ?, error = "
                        + "'interrupted' WHERE run_id = ? AND state = ?")) {
                    p.setString(1, StageRecord.FAILED);
                    p.setString(2, id);
                    p.setString(3, StageRecord.RUNNING);
                    p.executeUpdate();
                }
            }
            return ids;
        });
    }

    public void requestCancel(String id) {
        db.write("request cancellation of nightly run " + id, c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE loop_runs SET cancel_requested = 1 WHERE id = ?")) {
                p.setString(1, id);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Writes (inserts or replaces) the record of one stage. */
    public void putStage(String runId, StageRecord s) {
        db.write("record stage " + s.stage().label() + " of nightly run " + runId, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM loop_stages WHERE run_id = ? AND stage = ?")) {
                p.setString(1, runId);
                p.setString(2, s.stage().label());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO loop_stages (run_id, stage, position, state, "
                    + "started, ended, attempts, stage_key, input_hash, output_hash, counts_json, output_json, error) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                p.setString(1, runId);
                p.setString(2, s.stage().label());
                p.setInt(3, s.stage().ordinal());
                p.setString(4, s.state());
                p.setString(5, s.started() == null ? null : s.started().toString());
                p.setString(6, s.ended() == null ? null : s.ended().toString());
                p.setInt(7, s.attempts());
                p.setString(8, s.key());
                p.setString(9, s.inputHash());
                p.setString(10, s.outputHash());
                p.setString(11, json(s.counts()));
                p.setString(12, json(s.output()));
                p.setString(13, s.error());
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The newest succeeded record of {@code stage} with {@code key}, in any run. */
    public Optional<StageRecord> succeeded(LoopStage stage, String key) {
        return db.read("find an earlier " + stage.label() + " stage", c -> {
            try (PreparedStatement p =
                    c.prepareStatement("SELECT " + STAGE_COLUMNS + " FROM loop_stages WHERE stage = ? "
                            + "AND stage_key = ? AND state IN ('succeeded', 'reused') ORDER BY ended DESC")) {
                p.setString(1, stage.label());
                p.setString(2, key);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(stage(r)) : Optional.<StageRecord>empty();
                }
            }
        });
    }

    public Optional<RunRecord> find(String id) {
        return db.read("read nightly run " + id, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM loop_runs WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(run(c, r)) : Optional.<RunRecord>empty();
                }
            }
        });
    }

    /** Run {@code id}, or an error naming it and how to list the runs. */
    public RunRecord get(String id) {
        return find(id).orElseThrow(
                        () -> new IllegalArgumentException("no nightly run '" + id + "' (see pipeline runs list)"));
    }

    /** The newest runs first. */
    public List<RunRecord> list(int limit) {
        return db.read("list nightly runs", c -> {
            List<RunRecord> out = new ArrayList<>();
            try (PreparedStatement p =
                    c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM loop_runs ORDER BY started DESC, id DESC")) {
                try (ResultSet r = p.executeQuery()) {
                    while (r.next() && out.size() < limit) {
                        out.add(run(c, r));
                    }
                }
            }
            return out;
        });
    }

    private static final String RUN_COLUMNS =
            "id, trigger_kind, resumes, state, reason, started, ended, error_stage, error, dir, cancel_requested";
    private static final String STAGE_COLUMNS = "stage, state, started, ended, attempts, stage_key, input_hash, "
            + "output_hash, counts_json, output_json, error";

    private static RunRecord run(Connection c, ResultSet r) throws SQLException {
        String id = r.getString(1);
        List<StageRecord> stages = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT " + STAGE_COLUMNS + " FROM loop_stages WHERE run_id = ? ORDER BY position")) {
            p.setString(1, id);
            try (ResultSet s = p.executeQuery()) {
                while (s.next()) {
                    stages.add(stage(s));
                }
            }
        }
        return new RunRecord(
                id,
                Trigger.fromLabel(r.getString(2)),
                r.getString(3),
                RunState.fromLabel(r.getString(4)),
                r.getString(5),
                instant(r.getString(6)),
                instant(r.getString(7)),
                r.getString(8) == null ? null : LoopStage.fromLabel(r.getString(8)),
                r.getString(9),
                Path.of(r.getString(10)),
                r.getInt(11) != 0,
                stages);
    }

    private static StageRecord stage(ResultSet s) throws SQLException {
        return new StageRecord(
                LoopStage.fromLabel(s.getString(1)),
                s.getString(2),
                instant(s.getString(3)),
                instant(s.getString(4)),
                s.getInt(5),
                s.getString(6),
                s.getString(7),
                s.getString(8),
                read(s.getString(9), new TypeReference<LinkedHashMap<String, Long>>() {}),
                read(s.getString(10), new TypeReference<LinkedHashMap<String, Object>>() {}),
                s.getString(11));
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a run record as JSON: " + e.getMessage(), e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run record in the store is not valid JSON: " + e.getMessage(), e);
        }
    }
}
