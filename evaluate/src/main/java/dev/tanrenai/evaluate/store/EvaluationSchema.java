package dev.tanrenai.evaluate.store;

import dev.tanrenai.datasets.store.Migration;
import java.util.List;

/** The evaluations' tables in the store database (portable SQL: SQLite and PostgreSQL). */
final class EvaluationSchema {

    static final String COMPONENT = "evaluations";
    /** The registry's component, whose adapters evaluations reference. */
    static final String REGISTRY_COMPONENT = "registry";

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(
                    1,
                    "evaluations linked to registry adapters, and their checks",
                    List.of(
                            "CREATE TABLE evaluations ("
                                    + "id VARCHAR(64) PRIMARY KEY, created_at VARCHAR(40) NOT NULL, "
                                    + "candidate_adapter_id VARCHAR(16) REFERENCES registry_adapters(id), "
                                    + "candidate_key VARCHAR(64) NOT NULL, candidate_label TEXT NOT NULL, "
                                    + "baseline_adapter_id VARCHAR(16) REFERENCES registry_adapters(id), "
                                    + "baseline_key VARCHAR(64) NOT NULL, baseline_label TEXT NOT NULL, "
                                    + "decision VARCHAR(16) NOT NULL CHECK (decision IN ('promote', 'refuse')), "
                                    + "forced INTEGER NOT NULL, force_reason TEXT, summary TEXT NOT NULL, "
                                    + "policy_sha256 CHAR(64) NOT NULL, code_version VARCHAR(128) NOT NULL, "
                                    + "report_dir TEXT NOT NULL, report_json TEXT NOT NULL)",
                            "CREATE INDEX evaluations_candidate ON evaluations (candidate_adapter_id)",
                            "CREATE TABLE evaluation_checks ("
                                    + "evaluation_id VARCHAR(64) NOT NULL REFERENCES evaluations(id), "
                                    + "check_no INTEGER NOT NULL, name TEXT NOT NULL, suite VARCHAR(128) NOT NULL, "
                                    + "passed INTEGER NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (evaluation_id, check_no))")));

    private EvaluationSchema() {}
}
