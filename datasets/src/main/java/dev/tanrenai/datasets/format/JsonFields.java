package dev.tanrenai.datasets.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.ConversationTimes;
import dev.tanrenai.datasets.Message;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Typed reads of JSON fields that fail with the field's path. */
final class JsonFields {
    private JsonFields() {}

    static ConversationFormatException invalid(String field, String reason) {
        return new ConversationFormatException("", field, reason, RejectKind.INVALID_FIELD);
    }

    static ConversationFormatException implausible(String field, String reason) {
        return new ConversationFormatException("", field, reason, RejectKind.IMPLAUSIBLE_TIME);
    }

    static String type(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY -> "binary data";
            case MISSING -> "missing";
        };
    }

    /** The object at the top of a record. */
    static JsonNode requireObject(JsonNode node, String field) throws ConversationFormatException {
        if (node == null || !node.isObject()) {
            throw invalid(field, "expected an object, got " + (node == null ? "nothing" : type(node)));
        }
        return node;
    }

    /** A required string field. */
    static String requireString(JsonNode parent, String name, String path) throws ConversationFormatException {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            throw invalid(path, "missing (a string is required)");
        }
        if (!v.isTextual()) {
            throw invalid(path, "expected a string, got " + type(v));
        }
        return v.textValue();
    }

    /** An optional string field: null when absent or null. */
    static String optionalString(JsonNode parent, String name, String path) throws ConversationFormatException {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(path, "expected a string, got " + type(v));
        }
        return v.textValue();
    }

    /** A required non-empty array. */
    static JsonNode requireArray(JsonNode parent, String name, String path) throws ConversationFormatException {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            throw invalid(path, "missing (an array is required)");
        }
        if (!v.isArray()) {
            throw invalid(path, "expected an array, got " + type(v));
        }
        if (v.isEmpty()) {
            throw invalid(path, "is empty: a conversation needs at least one message");
        }
        return v;
    }

    /** An optional id: a non-empty string, or a number written as text. */
    static String optionalId(JsonNode parent) throws ConversationFormatException {
        JsonNode v = parent.get("id");
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw invalid("id", "expected a non-empty string, got " + (v.isTextual() ? "an empty string" : type(v)));
        }
        if (v.textValue().length() > 200) {
            throw invalid("id", "is " + v.textValue().length() + " characters long; at most 200 are allowed");
        }
        return v.textValue();
    }

    /** Optional metadata: an object whose scalar values become text and nested values their JSON. */
    static Map<String, String> metadata(JsonNode parent) throws ConversationFormatException {
        JsonNode v = parent.get("metadata");
        Map<String, String> out = new TreeMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw invalid("metadata", "expected an object, got " + type(v));
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            JsonNode value = e.getValue();
            out.put(e.getKey(), value.isValueNode() ? value.asText() : value.toString());
        }
        return out;
    }

    /**
     * The record's own time ({@code created_at} or {@code timestamp}: epoch seconds or ISO-8601), else
     * null; a time outside {@link ConversationTimes}' range is refused naming the value.
     */
    static Instant optionalTime(JsonNode parent) throws ConversationFormatException {
        for (String name : new String[] {"created_at", "timestamp"}) {
            JsonNode v = parent.get(name);
            if (v == null || v.isNull()) {
                continue;
            }
            if (v.isNumber()) {
                String problem = ConversationTimes.epochSecondsProblem(v.asDouble());
                if (problem != null) {
                    throw implausible(name, problem);
                }
                return Instant.ofEpochMilli(Math.round(v.asDouble() * 1000));
            }
            if (v.isTextual()) {
                Instant t;
                try {
                    t = Instant.parse(v.textValue());
                } catch (DateTimeParseException e) {
                    throw invalid(
                            name, "'" + v.textValue() + "' is not an ISO-8601 instant such as 2026-11-23T10:15:30Z");
                }
                String problem = ConversationTimes.problem(t);
                if (problem != null) {
                    throw implausible(name, "'" + v.textValue() + "': " + problem);
                }
                return t;
            }
            throw invalid(name, "expected epoch seconds or an ISO-8601 string, got " + type(v));
        }
        return null;
    }

    /**
     * The conversation of a record: its {@code id} (or one derived from the messages), its own time
     * (or {@code defaultTime}) and its metadata.
     */
    static Conversation conversation(JsonNode record, List<Message> messages, String source, Instant defaultTime)
            throws ConversationFormatException {
        String id = optionalId(record);
        Instant time = optionalTime(record);
        Instant at = time != null ? time : defaultTime;
        return new Conversation(
                id != null ? id : ConversationIds.contentId(messages), source, at, at, messages, metadata(record));
    }

    /** Fails when a message is longer than the limit. */
    static void checkLength(String content, int maxChars, String path) throws ConversationFormatException {
        if (content.length() > maxChars) {
            throw new ConversationFormatException(
                    "",
                    path,
                    content.length() + " characters, more than the limit of " + maxChars,
                    RejectKind.MESSAGE_TOO_LONG);
        }
    }
}
