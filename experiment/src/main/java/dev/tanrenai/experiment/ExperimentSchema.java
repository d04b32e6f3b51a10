package dev.tanrenai.experiment;

import dev.tanrenai.datasets.store.Migration;
import java.util.List;

/** The experiments' tables, in the same database as the conversation store and the registry. */
final class ExperimentSchema {
    static final String COMPONENT = "experiments";

    static final List<Migration> MIGRATIONS = List.of(new Migration(
            1,
            "A/B experiments, their decisions and the challenger/champion failures they count",
            List.of(
                    "CREATE TABLE experiments (id VARCHAR(64) PRIMARY KEY, champion_id VARCHAR(16) NOT NULL, "
                            + "challenger_id VARCHAR(16) NOT NULL, share DOUBLE PRECISION NOT NULL, "
                            + "started_at VARCHAR(40) NOT NULL, start_seq BIGINT NOT NULL, started_by TEXT NOT NULL, "
                            + "config_json TEXT NOT NULL, status VARCHAR(16) NOT NULL, ended_at VARCHAR(40), "
                            + "reason TEXT)",
                    "CREATE TABLE experiment_decisions (experiment_id VARCHAR(64) NOT NULL, "
                            + "decision_no INTEGER NOT NULL, decided_at VARCHAR(40) NOT NULL, "
                            + "decision VARCHAR(16) NOT NULL, reason TEXT NOT NULL, numbers_json TEXT NOT NULL, "
                            + "decided_by VARCHAR(255) NOT NULL, PRIMARY KEY (experiment_id, decision_no))",
                    "CREATE TABLE experiment_errors (experiment_id VARCHAR(64) NOT NULL, error_no INTEGER NOT NULL, "
                            + "arm VARCHAR(16) NOT NULL, user_key VARCHAR(255) NOT NULL, at VARCHAR(40) NOT NULL, "
                            + "PRIMARY KEY (experiment_id, error_no))")));

    private ExperimentSchema() {}
}
