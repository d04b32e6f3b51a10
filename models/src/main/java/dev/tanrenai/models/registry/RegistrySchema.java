package dev.tanrenai.models.registry;

import dev.tanrenai.datasets.store.Migration;
import java.util.List;

/** The registry's tables in the store database (portable SQL: SQLite and PostgreSQL). */
final class RegistrySchema {
    static final String COMPONENT = "registry";

    static final List<Migration> MIGRATIONS = List.of(new Migration(
            1,
            "base models, adapters, aliases and alias history",
            List.of(
                    "CREATE TABLE registry_base_models ("
                            + "id VARCHAR(16) PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE, path TEXT NOT NULL, "
                            + "sha256 CHAR(64) NOT NULL UNIQUE, architecture VARCHAR(64) NOT NULL, "
                            + "key_metadata TEXT NOT NULL, size_bytes BIGINT NOT NULL, added_at VARCHAR(40) NOT NULL)",
                    "CREATE TABLE registry_adapters ("
                            + "id VARCHAR(16) PRIMARY KEY, "
                            + "base_model_id VARCHAR(16) NOT NULL REFERENCES registry_base_models(id), "
                            + "path TEXT NOT NULL, sha256 CHAR(64) NOT NULL UNIQUE, architecture VARCHAR(64) NOT NULL, "
                            + "producing_run_id VARCHAR(255), dataset_snapshot_id VARCHAR(255), "
                            + "provenance TEXT NOT NULL, size_bytes BIGINT NOT NULL, added_at VARCHAR(40) NOT NULL)",
                    "CREATE TABLE registry_aliases ("
                            + "alias VARCHAR(64) PRIMARY KEY, target_id VARCHAR(16) NOT NULL, "
                            + "updated_at VARCHAR(40) NOT NULL)",
                    "CREATE TABLE registry_alias_history ("
                            + "alias VARCHAR(64) NOT NULL, move_no INTEGER NOT NULL, from_id VARCHAR(16), "
                            + "to_id VARCHAR(16) NOT NULL, reason TEXT NOT NULL, actor VARCHAR(255) NOT NULL, "
                            + "moved_at VARCHAR(40) NOT NULL, PRIMARY KEY (alias, move_no))")));

    private RegistrySchema() {}
}
