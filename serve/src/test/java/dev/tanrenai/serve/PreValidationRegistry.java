package dev.tanrenai.serve;

import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.datasets.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;

/**
 * Writes registry rows directly, as a registry filled before model validation existed (or edited by
 * hand) would hold them: the registry's own methods now refuse these files, the serving path must
 * refuse them too.
 */
final class PreValidationRegistry {
    private PreValidationRegistry() {}

    /** Registers {@code file} as base model {@code id} without any check; returns the id. */
    static String base(Database db, String id, Path file) throws IOException {
        String sha = Sha256.ofFile(file);
        long size = Files.size(file);
        db.write("insert unchecked base model", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO registry_base_models (id, name, path, sha256,"
                    + " architecture, key_metadata, size_bytes, added_at) VALUES (?,?,?,?,?,?,?,?)")) {
                p.setString(1, id);
                p.setString(2, id);
                p.setString(3, file.toString());
                p.setString(4, sha);
                p.setString(5, "llama");
                p.setString(6, "{}");
                p.setLong(7, size);
                p.setString(8, Instant.now().toString());
                p.executeUpdate();
            }
            return null;
        });
        return id;
    }

    /** Registers {@code file} as adapter {@code id} of {@code baseId} without any check; returns the id. */
    static String adapter(Database db, String id, String baseId, Path file) throws IOException {
        String sha = Sha256.ofFile(file);
        long size = Files.size(file);
        db.write("insert unchecked adapter", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO registry_adapters (id, base_model_id, path,"
                    + " sha256, architecture, producing_run_id, dataset_snapshot_id, provenance, size_bytes, added_at)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                p.setString(1, id);
                p.setString(2, baseId);
                p.setString(3, file.toString());
                p.setString(4, sha);
                p.setString(5, "llama");
                p.setString(6, null);
                p.setString(7, null);
                p.setString(8, "{}");
                p.setLong(9, size);
                p.setString(10, Instant.now().toString());
                p.executeUpdate();
            }
            return null;
        });
        return id;
    }

    /** Points {@code alias} at {@code targetId} without the registry's checks. */
    static void alias(Database db, String alias, String targetId) {
        db.write("point alias unchecked", c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM registry_aliases WHERE alias = ?")) {
                p.setString(1, alias);
                p.executeUpdate();
            }
            try (PreparedStatement p =
                    c.prepareStatement("INSERT INTO registry_aliases (alias, target_id, updated_at) VALUES (?,?,?)")) {
                p.setString(1, alias);
                p.setString(2, targetId);
                p.setString(3, Instant.now().toString());
                p.executeUpdate();
            }
            return null;
        });
    }
}
