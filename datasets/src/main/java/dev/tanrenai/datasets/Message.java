package dev.tanrenai.datasets;

import java.util.List;
import java.util.Objects;

/**
 * One turn of a conversation.
 *
 * @param role who wrote it
 * @param content the text; may be empty only for an assistant turn that carries tool calls
 * @param toolCalls calls requested by an assistant turn; empty for every other role
 * @param toolCallId for a {@code tool} turn, the id of the call it answers; otherwise null
 * @param name optional author or function name (OpenAI {@code name}); null when absent
 * @param producedBy for an assistant turn served by Tanrenai, the model/adapter id that wrote it;
 *     null otherwise (imported data)
 */
public record Message(
        Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name, String producedBy) {

    public Message {
        Objects.requireNonNull(role, "role must not be null");
        Objects.requireNonNull(content, "content must not be null (use an empty string)");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
            throw new IllegalArgumentException(
                    "tool_calls are only allowed on assistant messages, not " + role.wireName());
        }
        if (role == Role.TOOL && (toolCallId == null || toolCallId.isBlank())) {
            throw new IllegalArgumentException("a tool message needs a non-empty tool_call_id");
        }
        if (role != Role.TOOL && toolCallId != null) {
            throw new IllegalArgumentException("tool_call_id is only allowed on tool messages, not " + role.wireName());
        }
        if (producedBy != null && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("producedBy is only meaningful on assistant messages");
        }
    }

    public static Message system(String content) {
        return new Message(Role.SYSTEM, content, List.of(), null, null, null);
    }

    public static Message user(String content) {
        return new Message(Role.USER, content, List.of(), null, null, null);
    }

    public static Message assistant(String content) {
        return new Message(Role.ASSISTANT, content, List.of(), null, null, null);
    }

    public static Message tool(String toolCallId, String content) {
        return new Message(Role.TOOL, content, List.of(), toolCallId, null, null);
    }

    /** This message with {@code producedBy} set (assistant turns only). */
    public Message withProducedBy(String modelOrAdapterId) {
        return new Message(role, content, toolCalls, toolCallId, name, modelOrAdapterId);
    }
}
