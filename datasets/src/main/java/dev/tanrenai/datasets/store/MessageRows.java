package dev.tanrenai.datasets.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Maps messages, tool calls and metadata to and from their columns. */
final class MessageRows {
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    static final String INSERT = "INSERT INTO messages (conversation_id, idx, role, content, tool_calls_json, "
            + "tool_call_id, name, produced_by, created_at, seq) VALUES (?,?,?,?,?,?,?,?,?,?)";
    static final String COLUMNS = "idx, role, content, tool_calls_json, tool_call_id, name, produced_by";

    private MessageRows() {}

    static void bind(PreparedStatement p, String conversationId, int index, Message m, Instant at, long seq)
            throws SQLException {
        p.setString(1, conversationId);
        p.setInt(2, index);
        p.setString(3, m.role().wireName());
        p.setString(4, m.content());
        setNullable(p, 5, m.toolCalls().isEmpty() ? null : toolCallsJson(m.toolCalls()));
        setNullable(p, 6, m.toolCallId());
        setNullable(p, 7, m.name());
        setNullable(p, 8, m.producedBy());
        p.setString(9, at.toString());
        p.setLong(10, seq);
    }

    /** Reads the message at the cursor (columns as in {@link #COLUMNS}, starting at {@code first}). */
    static Message read(ResultSet r, int first, String conversationId) throws SQLException {
        int index = r.getInt(first);
        try {
            String toolCalls = r.getString(first + 3);
            return new Message(
                    Role.fromWireName(r.getString(first + 1)),
                    r.getString(first + 2),
                    toolCalls == null ? List.of() : parseToolCalls(toolCalls),
                    r.getString(first + 4),
                    r.getString(first + 5),
                    r.getString(first + 6));
        } catch (IllegalArgumentException e) {
            throw new StoreException(
                    "stored message " + index + " of conversation " + conversationId + " is invalid: " + e.getMessage(),
                    e);
        }
    }

    static String metadataJson(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(metadata));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise metadata", e);
        }
    }

    static Map<String, String> parseMetadata(String json, String conversationId) {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new StoreException("stored metadata of conversation " + conversationId + " is not valid JSON", e);
        }
    }

    private static String toolCallsJson(List<ToolCall> calls) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (ToolCall c : calls) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("id", c.id());
            row.put("name", c.name());
            row.put("arguments", c.argumentsJson());
            rows.add(row);
        }
        try {
            return JSON.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise tool calls", e);
        }
    }

    private static List<ToolCall> parseToolCalls(String json) {
        try {
            List<Map<String, String>> rows = JSON.readValue(json, new TypeReference<List<Map<String, String>>>() {});
            List<ToolCall> calls = new ArrayList<>();
            for (Map<String, String> row : rows) {
                calls.add(new ToolCall(row.get("id"), row.get("name"), row.get("arguments")));
            }
            return calls;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tool_calls_json is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void setNullable(PreparedStatement p, int index, String value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.VARCHAR);
        } else {
            p.setString(index, value);
        }
    }
}
