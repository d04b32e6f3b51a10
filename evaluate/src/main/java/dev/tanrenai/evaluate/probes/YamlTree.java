package dev.tanrenai.evaluate.probes;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read with Jackson's streaming YAML parser into nodes that remember the line they start
 * on, so that every error about a value can name its file, line and field. Jackson's own tree
 * ({@code readTree}) drops locations and silently keeps the last of two equal keys; here a repeated key
 * is an error at the line of its second occurrence.
 */
final class YamlTree {

    /** What a node holds. Scalars keep their text as written; {@link #INT} and {@link #BOOL} are unquoted. */
    enum Type {
        MAP,
        LIST,
        STRING,
        INT,
        FLOAT,
        BOOL,
        NULL
    }

    /**
     * One node.
     *
     * @param type what it is
     * @param line 1-based line where it starts
     * @param text a scalar's text (null for maps and lists)
     * @param map a map's entries in file order (empty otherwise)
     * @param keyLines the line of each map key
     * @param list a list's elements (empty otherwise)
     */
    record Node(
            Type type, int line, String text, Map<String, Node> map, Map<String, Integer> keyLines, List<Node> list) {

        Node {
            map = Collections.unmodifiableMap(map);
            keyLines = Collections.unmodifiableMap(keyLines);
            list = Collections.unmodifiableList(list);
        }

        /** How the type is named in errors. */
        String describe() {
            return switch (type) {
                case MAP -> "a mapping";
                case LIST -> "a list";
                case STRING -> "the string \"" + text + "\"";
                case INT, FLOAT -> "the number " + text;
                case BOOL -> "the boolean " + text;
                case NULL -> "an empty value";
            };
        }
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {}

    /**
     * Parses one YAML document.
     *
     * @throws ProbeFileException for malformed YAML (at the parser's location), an empty document, a
     *     repeated key, binary values or more than one document
     */
    static Node parse(String yaml, String source) throws ProbeFileException {
        try (JsonParser p = FACTORY.createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ProbeFileException(source, 1, "(file)", "the file is empty; it needs 'version' and 'probes'");
            }
            Node root = read(p, source, "(file)");
            if (p.nextToken() != null) {
                throw new ProbeFileException(
                        source, line(p), "(file)", "a second YAML document ('---'): a probe file is one document");
            }
            return root;
        } catch (ProbeFileException e) {
            throw e;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ProbeFileException(
                    source, at == null ? 0 : at.getLineNr(), "(yaml)", "malformed YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            // a String source throws nothing else; kept typed rather than swallowed
            throw new ProbeFileException(source, 0, "(yaml)", "cannot read YAML: " + e.getMessage(), e);
        }
    }

    private static Node read(JsonParser p, String source, String path) throws IOException {
        int line = line(p);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> map = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    String child = path.equals("(file)") ? key : path + "." + key;
                    if (map.containsKey(key)) {
                        throw new ProbeFileException(
                                source,
                                keyLine,
                                child,
                                "repeated key '" + key + "' (first at line " + keyLines.get(key) + ")");
                    }
                    p.nextToken();
                    keyLines.put(key, keyLine);
                    map.put(key, read(p, source, child));
                }
                return new Node(Type.MAP, line, null, map, keyLines, List.of());
            }
            case START_ARRAY -> {
                List<Node> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p, source, path + "[" + list.size() + "]"));
                }
                return new Node(Type.LIST, line, null, Map.of(), Map.of(), list);
            }
            case VALUE_STRING -> {
                return scalar(Type.STRING, line, p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return scalar(Type.INT, line, p.getText());
            }
            case VALUE_NUMBER_FLOAT -> {
                return scalar(Type.FLOAT, line, p.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return scalar(Type.BOOL, line, Boolean.toString(t == JsonToken.VALUE_TRUE));
            }
            case VALUE_NULL -> {
                return scalar(Type.NULL, line, null);
            }
            default ->
                throw new ProbeFileException(
                        source, line, path, "unsupported YAML value (" + t + "): use strings, numbers, booleans");
        }
    }

    private static Node scalar(Type type, int line, String text) {
        return new Node(type, line, text, Map.of(), Map.of(), List.of());
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
