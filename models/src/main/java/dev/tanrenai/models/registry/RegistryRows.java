package dev.tanrenai.models.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** JDBC reads and row mapping of the registry tables. */
final class RegistryRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {};

    static final String BASE_COLUMNS = "id, name, path, sha256, architecture, key_metadata, size_bytes, added_at";
    static final String ADAPTER_COLUMNS = "id, base_model_id, path, sha256, architecture, producing_run_id, "
            + "dataset_snapshot_id, provenance, size_bytes, added_at";

    private RegistryRows() {}

    static String toJson(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(map));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + map, e);
        }
    }

    static Map<String, String> fromJson(String json, String where) {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new RegistryException("corrupt JSON in " + where + ": " + e.getOriginalMessage(), e);
        }
    }

    static List<BaseModel> bases(Connection c, String where, String... args) throws SQLException {
        List<BaseModel> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT " + BASE_COLUMNS + " FROM registry_base_models " + where + " ORDER BY added_at, id")) {
            bind(p, args);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    out.add(new BaseModel(
                            id,
                            r.getString(2),
                            Path.of(r.getString(3)),
                            r.getString(4),
                            r.getString(5),
                            fromJson(r.getString(6), "registry_base_models.key_metadata of " + id),
                            r.getLong(7),
                            Instant.parse(r.getString(8))));
                }
            }
        }
        return out;
    }

    static List<Adapter> adapters(Connection c, String where, String... args) throws SQLException {
        List<Adapter> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT " + ADAPTER_COLUMNS + " FROM registry_adapters " + where + " ORDER BY added_at, id")) {
            bind(p, args);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String id = r.getString(1);
                    out.add(new Adapter(
                            id,
                            r.getString(2),
                            Path.of(r.getString(3)),
                            r.getString(4),
                            r.getString(5),
                            r.getString(6),
                            r.getString(7),
                            fromJson(r.getString(8), "registry_adapters.provenance of " + id),
                            r.getLong(9),
                            Instant.parse(r.getString(10))));
                }
            }
        }
        return out;
    }

    static Optional<String> aliasTarget(Connection c, String alias) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT target_id FROM registry_aliases WHERE alias = ?")) {
            p.setString(1, alias);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    static List<AliasMove> history(Connection c, String alias) throws SQLException {
        List<AliasMove> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT alias, from_id, to_id, reason, actor, moved_at "
                + "FROM registry_alias_history WHERE alias = ? ORDER BY move_no")) {
            p.setString(1, alias);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new AliasMove(
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            Instant.parse(r.getString(6))));
                }
            }
        }
        return out;
    }

    /** Optional lookup of a base model or adapter by exact id. */
    static Optional<ModelRef> byId(Connection c, String id) throws SQLException {
        List<BaseModel> bases = bases(c, "WHERE id = ?", id);
        if (!bases.isEmpty()) {
            return Optional.of(new ModelRef(bases.get(0), null));
        }
        List<Adapter> adapters = adapters(c, "WHERE id = ?", id);
        if (adapters.isEmpty()) {
            return Optional.empty();
        }
        Adapter adapter = adapters.get(0);
        List<BaseModel> base = bases(c, "WHERE id = ?", adapter.baseModelId());
        if (base.isEmpty()) {
            throw new RegistryException("adapter " + id + " refers to missing base model " + adapter.baseModelId());
        }
        return Optional.of(new ModelRef(base.get(0), adapter));
    }

    private static void bind(PreparedStatement p, String... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            p.setString(i + 1, args[i]);
        }
    }
}
