package dev.tanrenai.datasets.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Canonical JSON form of {@link SnapshotManifest}, and its strict parser. */
final class ManifestJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER = MAPPER.writer(prettyPrinter())
            .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .with(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> TOP_LEVEL = Set.of(
            "format",
            "schemaVersion",
            "dataset",
            "snapshotId",
            "rowCount",
            "contentSha256",
            "parts",
            "provenance",
            "counts");

    private ManifestJson() {}

    static String write(SnapshotManifest m) {
        Map<String, Object> root = new TreeMap<>();
        root.put("format", m.format());
        root.put("schemaVersion", m.schemaVersion());
        root.put("dataset", m.dataset());
        root.put("snapshotId", m.snapshotId());
        root.put("rowCount", m.rowCount());
        root.put("contentSha256", m.contentSha256());
        List<Map<String, Object>> parts = new ArrayList<>();
        for (SnapshotPart part : m.parts()) {
            Map<String, Object> p = new TreeMap<>();
            p.put("file", part.file());
            p.put("rows", part.rows());
            p.put("sha256", part.sha256());
            p.put("bytes", part.bytes());
            parts.add(p);
        }
        root.put("parts", parts);
        Map<String, Object> provenance = new TreeMap<>();
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (SnapshotInput input : m.provenance().inputs()) {
            Map<String, Object> i = new TreeMap<>();
            i.put("kind", input.kind());
            i.put("uri", input.uri());
            putIfPresent(i, "watermark", input.watermark());
            putIfPresent(i, "sha256", input.sha256());
            putIfPresent(i, "rows", input.rows());
            inputs.add(i);
        }
        provenance.put("inputs", inputs);
        provenance.put("config", m.provenance().config());
        provenance.put("code", m.provenance().code());
        provenance.put("parent", m.provenance().parent());
        root.put("provenance", provenance);
        root.put("counts", m.counts());
        try {
            return WRITER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise manifest of " + m.dataset(), e);
        }
    }

    /**
     * Parses and validates manifest JSON.
     *
     * @param where the file name, used in every error message
     * @throws SnapshotCorruptedException naming {@code where} and the bad field
     */
    static SnapshotManifest parse(String json, String where) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SnapshotCorruptedException(
                    where + ": not valid JSON: " + e.getOriginalMessage() + " at line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr(),
                    e);
        }
        Fields f = new Fields(where);
        f.object(root, "(root)");
        root.fieldNames().forEachRemaining(name -> {
            if (!TOP_LEVEL.contains(name)) {
                throw new SnapshotCorruptedException(where + ": unknown field '" + name + "'");
            }
        });
        List<SnapshotPart> parts = new ArrayList<>();
        JsonNode partsNode = f.array(root.get("parts"), "parts");
        for (int i = 0; i < partsNode.size(); i++) {
            JsonNode p = f.object(partsNode.get(i), "parts[" + i + "]");
            String at = "parts[" + i + "].";
            parts.add(f.build(
                    at,
                    () -> new SnapshotPart(
                            f.text(p.get("file"), at + "file"),
                            f.integer(p.get("rows"), at + "rows"),
                            f.text(p.get("sha256"), at + "sha256"),
                            f.integer(p.get("bytes"), at + "bytes"))));
        }
        JsonNode prov = f.object(root.get("provenance"), "provenance");
        List<SnapshotInput> inputs = new ArrayList<>();
        JsonNode inputsNode = f.array(prov.get("inputs"), "provenance.inputs");
        for (int i = 0; i < inputsNode.size(); i++) {
            String at = "provenance.inputs[" + i + "].";
            JsonNode in = f.object(inputsNode.get(i), "provenance.inputs[" + i + "]");
            inputs.add(f.build(
                    at,
                    () -> new SnapshotInput(
                            f.text(in.get("kind"), at + "kind"),
                            f.text(in.get("uri"), at + "uri"),
                            in.has("watermark") ? f.integer(in.get("watermark"), at + "watermark") : null,
                            in.has("sha256") ? f.text(in.get("sha256"), at + "sha256") : null,
                            in.has("rows") ? f.integer(in.get("rows"), at + "rows") : null)));
        }
        JsonNode parentNode = prov.get("parent");
        if (parentNode == null) {
            throw new SnapshotCorruptedException(where + ": field 'provenance.parent' is missing (use null)");
        }
        String parent = parentNode.isNull() ? null : f.text(parentNode, "provenance.parent");
        Map<String, Object> config = f.map(prov.get("config"), "provenance.config");
        Map<String, Object> code = f.map(prov.get("code"), "provenance.code");
        SnapshotProvenance provenance =
                f.build("provenance.", () -> new SnapshotProvenance(inputs, config, code, parent));
        Map<String, Long> counts = new LinkedHashMap<>();
        JsonNode countsNode = f.object(root.get("counts"), "counts");
        countsNode.properties().forEach(e -> counts.put(e.getKey(), f.integer(e.getValue(), "counts." + e.getKey())));
        return f.build(
                "",
                () -> new SnapshotManifest(
                        f.text(root.get("format"), "format"),
                        Math.toIntExact(f.integer(root.get("schemaVersion"), "schemaVersion")),
                        f.text(root.get("dataset"), "dataset"),
                        f.text(root.get("snapshotId"), "snapshotId"),
                        f.integer(root.get("rowCount"), "rowCount"),
                        f.text(root.get("contentSha256"), "contentSha256"),
                        parts,
                        provenance,
                        counts));
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        // "key": value, as most JSON tools print it.
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
                Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }

    /** Typed field access that fails with the file and field name. */
    private record Fields(String where) {

        <T> T build(String prefix, java.util.function.Supplier<T> constructor) {
            try {
                return constructor.get();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new SnapshotCorruptedException(where + ": " + prefix + e.getMessage(), e);
            }
        }

        JsonNode object(JsonNode node, String field) {
            if (node == null || !node.isObject()) {
                throw bad(field, "an object", node);
            }
            return node;
        }

        JsonNode array(JsonNode node, String field) {
            if (node == null || !node.isArray()) {
                throw bad(field, "an array", node);
            }
            return node;
        }

        String text(JsonNode node, String field) {
            if (node == null || !node.isTextual()) {
                throw bad(field, "a string", node);
            }
            return node.textValue();
        }

        long integer(JsonNode node, String field) {
            if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
                throw bad(field, "an integer", node);
            }
            return node.longValue();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(JsonNode node, String field) {
            return MAPPER.convertValue(object(node, field), Map.class);
        }

        private SnapshotCorruptedException bad(String field, String expected, JsonNode node) {
            String actual = node == null ? "missing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            return new SnapshotCorruptedException(
                    where + ": field '" + field + "' must be " + expected + " but is " + actual);
        }
    }
}
