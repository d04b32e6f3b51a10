package dev.tanrenai.datasets.format;

import static dev.tanrenai.datasets.format.JsonFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The OpenAI chat format: {@code {"messages":[...], "id"?, "metadata"?}} with roles
 * system/user/assistant/tool, text content (a string or text parts), {@code name}, assistant
 * {@code tool_calls} and tool {@code tool_call_id}.
 */
public final class OpenAiChatCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxMessageChars;

    public OpenAiChatCodec(int maxMessageChars) {
        this.maxMessageChars = maxMessageChars;
    }

    /**
     * Reads one record.
     *
     * @param source recorded as the conversation's source
     * @param defaultTime used for both timestamps when the record has no {@code created_at}
     */
    public Conversation read(JsonNode record, String source, Instant defaultTime) throws ConversationFormatException {
        JsonFields.requireObject(record, "");
        JsonNode array = JsonFields.requireArray(record, "messages", "messages");
        List<Message> messages = new ArrayList<>();
        Set<String> callIds = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            Message m = message(array.get(i), "messages[" + i + "]", callIds);
            m.toolCalls().forEach(c -> callIds.add(c.id()));
            messages.add(m);
        }
        return JsonFields.conversation(record, messages, source, defaultTime);
    }

    private Message message(JsonNode node, String path, Set<String> earlierCallIds) throws ConversationFormatException {
        if (node == null || !node.isObject()) {
            throw invalid(path, "expected an object, got " + (node == null ? "nothing" : JsonFields.type(node)));
        }
        String roleName = JsonFields.requireString(node, "role", path + ".role");
        Role role;
        try {
            role = Role.fromWireName(roleName);
        } catch (IllegalArgumentException e) {
            throw invalid(path + ".role", e.getMessage());
        }
        List<ToolCall> calls = toolCalls(node, path, role);
        String content = content(node.get("content"), path + ".content", role, !calls.isEmpty());
        JsonFields.checkLength(content, maxMessageChars, path + ".content");
        String name = JsonFields.optionalString(node, "name", path + ".name");
        String toolCallId = JsonFields.optionalString(node, "tool_call_id", path + ".tool_call_id");
        if (role == Role.TOOL) {
            if (toolCallId == null || toolCallId.isBlank()) {
                throw invalid(path + ".tool_call_id", "missing: a tool message must name the call it answers");
            }
            if (!earlierCallIds.contains(toolCallId)) {
                throw invalid(path + ".tool_call_id", "'" + toolCallId + "' matches no earlier assistant tool call");
            }
        } else if (toolCallId != null) {
            throw invalid(path + ".tool_call_id", "only tool messages have a tool_call_id, not " + role.wireName());
        }
        try {
            return new Message(role, content, calls, toolCallId, name, null);
        } catch (IllegalArgumentException e) {
            throw invalid(path, e.getMessage());
        }
    }

    private static String content(JsonNode node, String path, Role role, boolean hasToolCalls)
            throws ConversationFormatException {
        if (node == null || node.isNull()) {
            if (role == Role.ASSISTANT && hasToolCalls) {
                return "";
            }
            throw invalid(path, "missing (only an assistant message with tool_calls may omit its content)");
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (!node.isArray()) {
            throw invalid(path, "expected a string or an array of text parts, got " + JsonFields.type(node));
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < node.size(); i++) {
            JsonNode part = node.get(i);
            String partPath = path + "[" + i + "]";
            JsonFields.requireObject(part, partPath);
            String type = JsonFields.requireString(part, "type", partPath + ".type");
            if (!type.equals("text")) {
                throw new ConversationFormatException(
                        "",
                        partPath + ".type",
                        "content part type '" + type + "' is not supported: Tanrenai trains on text only",
                        RejectKind.UNSUPPORTED_CONTENT);
            }
            text.append(JsonFields.requireString(part, "text", partPath + ".text"));
        }
        return text.toString();
    }

    private static List<ToolCall> toolCalls(JsonNode message, String path, Role role)
            throws ConversationFormatException {
        JsonNode node = message.get("tool_calls");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (role != Role.ASSISTANT) {
            throw invalid(path + ".tool_calls", "only assistant messages have tool_calls, not " + role.wireName());
        }
        if (!node.isArray()) {
            throw invalid(path + ".tool_calls", "expected an array, got " + JsonFields.type(node));
        }
        List<ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String callPath = path + ".tool_calls[" + i + "]";
            JsonNode call = JsonFields.requireObject(node.get(i), callPath);
            String id = JsonFields.requireString(call, "id", callPath + ".id");
            String type = JsonFields.optionalString(call, "type", callPath + ".type");
            if (type != null && !type.equals("function")) {
                throw invalid(callPath + ".type", "'" + type + "' is not supported (expected function)");
            }
            JsonNode function = JsonFields.requireObject(call.get("function"), callPath + ".function");
            String name = JsonFields.requireString(function, "name", callPath + ".function.name");
            JsonNode arguments = function.get("arguments");
            String argumentsJson;
            if (arguments == null || arguments.isNull()) {
                argumentsJson = "{}";
            } else if (arguments.isTextual()) {
                argumentsJson = arguments.textValue();
            } else if (arguments.isObject()) {
                argumentsJson = arguments.toString();
            } else {
                throw invalid(
                        callPath + ".function.arguments", "expected a JSON string, got " + JsonFields.type(arguments));
            }
            try {
                calls.add(new ToolCall(id, name, argumentsJson));
            } catch (IllegalArgumentException e) {
                throw invalid(callPath, e.getMessage());
            }
        }
        return calls;
    }

    /** One message in OpenAI's shape: role, content (null for a tool-call-only turn), name, tool_calls, tool_call_id. */
    public static ObjectNode writeMessage(Message m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("role", m.role().wireName());
        if (m.content().isEmpty() && !m.toolCalls().isEmpty()) {
            node.putNull("content");
        } else {
            node.put("content", m.content());
        }
        if (m.name() != null) {
            node.put("name", m.name());
        }
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = node.putArray("tool_calls");
            for (ToolCall call : m.toolCalls()) {
                ObjectNode callNode = calls.addObject();
                callNode.put("id", call.id());
                callNode.put("type", "function");
                ObjectNode function = callNode.putObject("function");
                function.put("name", call.name());
                function.put("arguments", call.argumentsJson());
            }
        }
        if (m.toolCallId() != null) {
            node.put("tool_call_id", m.toolCallId());
        }
        return node;
    }

    /** The record for {@code c}: its id, messages and metadata (the source and times are not part of the format). */
    public static ObjectNode write(Conversation c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", c.id());
        ArrayNode messages = root.putArray("messages");
        for (Message m : c.messages()) {
            messages.add(writeMessage(m));
        }
        if (!c.metadata().isEmpty()) {
            ObjectNode metadata = root.putObject("metadata");
            c.metadata().forEach(metadata::put);
        }
        return root;
    }
}
