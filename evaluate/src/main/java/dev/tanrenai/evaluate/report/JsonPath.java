package dev.tanrenai.evaluate.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON node with the path it was reached by ({@code $.suites[1].metrics[0].name}), so every read of a
 * missing or mistyped field fails with an {@link IllegalArgumentException} naming that path.
 *
 * <p>"Required" means present and not JSON null; "optional" readers return null for an absent or null
 * field but still reject a value of the wrong type.
 */
record JsonPath(JsonNode node, String path) {

    JsonPath {
        if (node == null || path == null) {
            throw new IllegalArgumentException("JsonPath needs a node and a path");
        }
    }

    static JsonPath root(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("$: a report must be a JSON object");
        }
        return new JsonPath(node, "$");
    }

    String at(String field) {
        return path + "." + field;
    }

    private JsonNode raw(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private JsonNode required(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            throw new IllegalArgumentException(at(field) + ": required field is missing");
        }
        return value;
    }

    private static IllegalArgumentException wrongType(String path, String expected, JsonNode value) {
        return new IllegalArgumentException(path + ": expected " + expected + ", got " + value.getNodeType());
    }

    String text(String field) {
        String value = optText(field);
        if (value == null) {
            throw new IllegalArgumentException(at(field) + ": required field is missing");
        }
        return value;
    }

    String optText(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(at(field), "a string", value);
        }
        return value.textValue();
    }

    boolean bool(String field) {
        JsonNode value = required(field);
        if (!value.isBoolean()) {
            throw wrongType(at(field), "true or false", value);
        }
        return value.booleanValue();
    }

    long integer(String field) {
        JsonNode value = required(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(at(field), "an integer", value);
        }
        return value.longValue();
    }

    double number(String field) {
        Double value = optNumber(field);
        if (value == null) {
            throw new IllegalArgumentException(at(field) + ": required field is missing");
        }
        return value;
    }

    /** A finite number, or null when absent or JSON null. */
    Double optNumber(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw wrongType(at(field), "a number", value);
        }
        double d = value.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(at(field) + ": expected a finite number, got " + value);
        }
        return d;
    }

    JsonPath object(String field) {
        JsonPath value = optObject(field);
        if (value == null) {
            throw new IllegalArgumentException(at(field) + ": required field is missing");
        }
        return value;
    }

    JsonPath optObject(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw wrongType(at(field), "an object", value);
        }
        return new JsonPath(value, at(field));
    }

    /** The elements of a required array, each with its indexed path. */
    List<JsonPath> array(String field) {
        return elements(field, required(field));
    }

    /** The elements of an optional array; empty when absent or null. */
    List<JsonPath> optArray(String field) {
        JsonNode value = raw(field);
        return value == null ? List.of() : elements(field, value);
    }

    private List<JsonPath> elements(String field, JsonNode value) {
        if (!value.isArray()) {
            throw wrongType(at(field), "an array", value);
        }
        List<JsonPath> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            out.add(new JsonPath(value.get(i), at(field) + "[" + i + "]"));
        }
        return out;
    }

    /** An element of an array that must itself be an object. */
    JsonPath requireObject() {
        if (!node.isObject()) {
            throw wrongType(path, "an object", node);
        }
        return this;
    }
}
