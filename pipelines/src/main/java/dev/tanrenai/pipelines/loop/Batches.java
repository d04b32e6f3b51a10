package dev.tanrenai.pipelines.loop;

import dev.tanrenai.datasets.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The curated snapshots ("batches") the nightly loop trains on, and what became of each (table
 * {@code loop_batches}). A curated snapshot not in the table is pending with no refusal.
 *
 * <p>The refused-batch policy: a batch whose candidate the gate refuses stays pending and is merged
 * with the next night's new data (a refusal may be the small sample's noise, and its conversations were
 * never learned); a batch refused {@code nightly.maxRefusals} times is set aside and never trained by
 * the loop again, so a poisoned batch is not retried forever. Refused batches alone never start a run:
 * a run needs new conversations. Only a promotion marks a batch learned, in the same transaction that
 * offers its conversations to the replay buffer.
 */
public final class Batches {

    public static final String PENDING = "pending";
    public static final String LEARNED = "learned";
    public static final String SET_ASIDE = "set_aside";

    /** One batch's state and refusals. */
    public record Batch(String snapshotId, String state, int refusals, String lastEvaluation) {}

    private final Database db;

    public Batches(RunRecords records) {
        this.db = records.database();
    }

    /** Every recorded batch, by snapshot id. */
    public Map<String, Batch> all() {
        return db.read("read the loop's batches", c -> {
            Map<String, Batch> out = new LinkedHashMap<>();
            try (PreparedStatement p = c.prepareStatement(
                            "SELECT snapshot_id, state, refusals, last_evaluation FROM loop_batches ORDER BY snapshot_id");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), new Batch(r.getString(1), r.getString(2), r.getInt(3), r.getString(4)));
                }
            }
            return out;
        });
    }

    /** Marks {@code ids} learned inside the caller's transaction. */
    public static void markLearned(Connection c, List<String> ids, String runId, String evaluationId)
            throws SQLException {
        for (String id : ids) {
            Batch b = read(c, id);
            upsert(c, id, LEARNED, b == null ? 0 : b.refusals(), evaluationId, runId);
        }
    }

    /** Whether every one of {@code ids} is learned (read inside the caller's transaction). */
    public static boolean allLearned(Connection c, List<String> ids) throws SQLException {
        for (String id : ids) {
            Batch b = read(c, id);
            if (b == null || !LEARNED.equals(b.state())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Counts a refusal of {@code ids} by evaluation {@code evaluationId} — once per evaluation, so a
     * rerun of the same run does not count it twice — and sets aside those refused {@code maxRefusals}
     * times.
     *
     * @return the ids set aside now or before
     */
    public List<String> refuse(List<String> ids, String evaluationId, String runId, int maxRefusals) {
        return db.write("record the refusal of evaluation " + evaluationId, c -> {
            List<String> setAside = new ArrayList<>();
            for (String id : ids) {
                Batch b = read(c, id);
                int refusals = b == null ? 0 : b.refusals();
                if (b == null || !evaluationId.equals(b.lastEvaluation())) {
                    refusals++;
                }
                String state = refusals >= maxRefusals ? SET_ASIDE : PENDING;
                if (state.equals(SET_ASIDE)) {
                    setAside.add(id);
                }
                upsert(c, id, state, refusals, evaluationId, runId);
            }
            return setAside;
        });
    }

    private static Batch read(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT snapshot_id, state, refusals, last_evaluation FROM loop_batches WHERE snapshot_id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? new Batch(r.getString(1), r.getString(2), r.getInt(3), r.getString(4)) : null;
            }
        }
    }

    private static void upsert(Connection c, String id, String state, int refusals, String evaluationId, String runId)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM loop_batches WHERE snapshot_id = ?")) {
            p.setString(1, id);
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO loop_batches (snapshot_id, state, refusals, "
                + "last_evaluation, last_run, updated) VALUES (?,?,?,?,?,?)")) {
            p.setString(1, id);
            p.setString(2, state);
            p.setInt(3, refusals);
            p.setString(4, evaluationId);
            p.setString(5, runId);
            p.setString(6, Instant.now().toString());
            p.executeUpdate();
        }
    }
}
