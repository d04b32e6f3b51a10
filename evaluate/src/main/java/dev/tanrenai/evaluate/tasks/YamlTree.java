package dev.tanrenai.evaluate.tasks;

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
 * A YAML document read with the line of every value, so that errors name the line a field is on
 * (Jackson's tree model forgets locations). Values are {@code String}, {@code Long}, {@code Double},
 * {@code Boolean}, null, {@code List<Node>} or {@code Map<String, Node>} (in file order).
 */
final class YamlTree {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** A value and the line it starts on. */
    record Node(Object value, int line) {

        @SuppressWarnings("unchecked")
        Map<String, Node> map() {
            return (Map<String, Node>) value;
        }

        @SuppressWarnings("unchecked")
        List<Node> list() {
            return (List<Node>) value;
        }

        String typeName() {
            return typeName(value);
        }

        static String typeName(Object v) {
            if (v == null) {
                return "null";
            } else if (v instanceof String) {
                return "a string";
            } else if (v instanceof Long) {
                return "an integer";
            } else if (v instanceof Double) {
                return "a number";
            } else if (v instanceof Boolean) {
                return "a boolean";
            } else if (v instanceof List) {
                return "a list";
            }
            return "a mapping";
        }
    }

    private YamlTree() {}

    /** The document's root, or a {@link TaskFileException} naming {@code source} and the line. */
    static Node parse(String yaml, String source) {
        try (JsonParser p = FACTORY.createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new TaskFileException(source, 1, null, "the file is empty");
            }
            Node root = read(p, source);
            if (p.nextToken() != null) {
                throw new TaskFileException(
                        source, line(p.currentTokenLocation()), null, "more than one YAML document");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new TaskFileException(
                    source, at == null ? 0 : line(at), null, "malformed YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TaskFileException(source, 0, null, "cannot read: " + e.getMessage(), e);
        }
    }

    private static Node read(JsonParser p, String source) throws IOException {
        int line = line(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int keyLine = line(p.currentTokenLocation());
                    p.nextToken();
                    Node value = read(p, source);
                    if (map.containsKey(name)) {
                        throw new TaskFileException(source, keyLine, name, "appears twice");
                    }
                    map.put(name, new Node(value.value(), keyLine)); // errors point at the key's line
                }
                return new Node(Collections.unmodifiableMap(map), line);
            }
            case START_ARRAY -> {
                List<Node> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p, source));
                }
                return new Node(Collections.unmodifiableList(list), line);
            }
            case VALUE_STRING -> {
                return new Node(p.getText(), line);
            }
            case VALUE_NUMBER_INT -> {
                return new Node(p.getLongValue(), line);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Node(p.getDoubleValue(), line);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(t == JsonToken.VALUE_TRUE, line);
            }
            case VALUE_NULL -> {
                return new Node(null, line);
            }
            default -> throw new TaskFileException(source, line, null, "unexpected YAML token " + t);
        }
    }

    private static int line(JsonLocation at) {
        return Math.max(at.getLineNr(), 0);
    }
}
