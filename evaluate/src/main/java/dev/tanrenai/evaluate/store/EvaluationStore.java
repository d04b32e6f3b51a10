package dev.tanrenai.evaluate.store;

import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluations in the store database (component {@code evaluations}), each linked to the registry's
 * adapters it compared, so {@code pipeline evaluations list} and the nightly loop can read why an
 * adapter was or was not promoted. Needs the registry's tables (open the registry first).
 */
public final class EvaluationStore {

    private final Database db;

    public EvaluationStore(Database db) {
        if (db.schemaVersion(EvaluationSchema.REGISTRY_COMPONENT) == 0) {
            throw new StoreException("the store " + db.jdbcUrl()
                    + " has no model registry yet: open the registry before the evaluations");
        }
        this.db = db;
        db.migrate(EvaluationSchema.COMPONENT, EvaluationSchema.MIGRATIONS);
    }

    /** Records {@code e} with its checks in one transaction. */
    public void record(StoredEvaluation e) {
        db.write("record evaluation " + e.id(), c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO evaluations (id, created_at, "
                    + "candidate_adapter_id, candidate_key, candidate_label, baseline_adapter_id, baseline_key, "
                    + "baseline_label, decision, forced, force_reason, summary, policy_sha256, code_version, "
                    + "report_dir, report_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                int i = 1;
                p.setString(i++, e.id());
                p.setString(i++, e.createdAt());
                p.setString(i++, e.candidateAdapterId());
                p.setString(i++, e.candidateKey());
                p.setString(i++, e.candidateLabel());
                p.setString(i++, e.baselineAdapterId());
                p.setString(i++, e.baselineKey());
                p.setString(i++, e.baselineLabel());
                p.setString(i++, e.decision());
                p.setInt(i++, e.forced() ? 1 : 0);
                p.setString(i++, e.forceReason());
                p.setString(i++, e.summary());
                p.setString(i++, e.policySha256());
                p.setString(i++, e.codeVersion());
                p.setString(i++, e.reportDir());
                p.setString(i, e.reportJson());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO evaluation_checks "
                    + "(evaluation_id, check_no, name, suite, passed, reason) VALUES (?,?,?,?,?,?)")) {
                int n = 0;
                for (StoredEvaluation.CheckRow check : e.checks()) {
                    p.setString(1, e.id());
                    p.setInt(2, ++n);
                    p.setString(3, check.name());
                    p.setString(4, check.suite());
                    p.setInt(5, check.passed() ? 1 : 0);
                    p.setString(6, check.reason());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    /** The newest evaluations first, at most {@code limit}. */
    public List<StoredEvaluation> list(int limit) {
        return db.read("list evaluations", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement p =
                    c.prepareStatement("SELECT id FROM evaluations ORDER BY created_at DESC, id DESC LIMIT ?")) {
                p.setInt(1, limit);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
            }
            List<StoredEvaluation> out = new ArrayList<>();
            for (String id : ids) {
                out.add(load(c, id).orElseThrow());
            }
            return out;
        });
    }

    public Optional<StoredEvaluation> get(String id) {
        return db.read("read evaluation " + id, c -> load(c, id));
    }

    /** The newest evaluation whose candidate is adapter {@code adapterId}. */
    public Optional<StoredEvaluation> latestForCandidate(String adapterId) {
        return db.read("read the latest evaluation of " + adapterId, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM evaluations WHERE candidate_adapter_id = ? "
                    + "ORDER BY created_at DESC, id DESC LIMIT 1")) {
                p.setString(1, adapterId);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? load(c, r.getString(1)) : Optional.empty();
                }
            }
        });
    }

    private static Optional<StoredEvaluation> load(Connection c, String id) throws SQLException {
        List<StoredEvaluation.CheckRow> checks = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT name, suite, passed, reason FROM evaluation_checks "
                + "WHERE evaluation_id = ? ORDER BY check_no")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    checks.add(new StoredEvaluation.CheckRow(
                            r.getString(1), r.getString(2), r.getInt(3) == 1, r.getString(4)));
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT id, created_at, candidate_adapter_id, candidate_key, "
                + "candidate_label, baseline_adapter_id, baseline_key, baseline_label, decision, forced, "
                + "force_reason, summary, policy_sha256, code_version, report_dir, report_json "
                + "FROM evaluations WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredEvaluation(
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getString(6),
                        r.getString(7),
                        r.getString(8),
                        r.getString(9),
                        r.getInt(10) == 1,
                        r.getString(11),
                        r.getString(12),
                        r.getString(13),
                        r.getString(14),
                        r.getString(15),
                        r.getString(16),
                        checks));
            }
        }
    }
}
