package dev.tanrenai.datasets.snapshot;

import dev.tanrenai.datasets.provenance.BuildInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a snapshot came from: its inputs, the configuration of the stage that built it, the code
 * version and the previous snapshot of the same dataset.
 *
 * @param inputs what was read
 * @param config the stage configuration; JSON-like values only (String, Number, Boolean, null, List,
 *     Map with String keys), nested maps sorted by key
 * @param code the build that wrote it, usually {@link BuildInfo#toMap()}
 * @param parent the previous snapshot id of this dataset, or null for the first one
 */
public record SnapshotProvenance(
        List<SnapshotInput> inputs, Map<String, Object> config, Map<String, Object> code, String parent) {

    public SnapshotProvenance {
        inputs = List.copyOf(Objects.requireNonNull(inputs, "provenance.inputs must not be null"));
        config = sortedJsonMap(
                Objects.requireNonNull(config, "provenance.config must not be null"), "provenance.config");
        code = sortedJsonMap(Objects.requireNonNull(code, "provenance.code must not be null"), "provenance.code");
        if (parent != null && !SnapshotManifest.isSnapshotId(parent)) {
            throw new IllegalArgumentException("provenance.parent '" + parent + "' is not a snapshot id (s-<16 hex>)");
        }
    }

    /** Provenance with the code version of the running build. */
    public static SnapshotProvenance of(List<SnapshotInput> inputs, Map<String, Object> config, String parent) {
        return new SnapshotProvenance(inputs, config, BuildInfo.current().toMap(), parent);
    }

    private static Map<String, Object> sortedJsonMap(Map<?, ?> map, String path) {
        Map<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + " has a non-string key " + entry.getKey());
            }
            sorted.put(key, jsonValue(entry.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(sorted);
    }

    private static Object jsonValue(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            throw new IllegalArgumentException(path + " is " + value + ", which JSON cannot represent");
        }
        if (value instanceof Number) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return sortedJsonMap(map, path);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(jsonValue(list.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(path + " has a " + value.getClass().getName()
                + " value; only String, Number, Boolean, null, List and Map are allowed");
    }
}
