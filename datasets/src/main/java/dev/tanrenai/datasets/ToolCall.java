package dev.tanrenai.datasets;

import java.util.Objects;

/**
 * A function call requested by an assistant turn (OpenAI {@code tool_calls[]} entry).
 *
 * @param id the call id that the answering {@code tool} message refers to
 * @param name the function name
 * @param argumentsJson the arguments exactly as the model produced them (a JSON text, kept verbatim)
 */
public record ToolCall(String id, String name, String argumentsJson) {
    public ToolCall {
        requireText(id, "tool_calls[].id");
        requireText(name, "tool_calls[].function.name");
        Objects.requireNonNull(argumentsJson, "tool_calls[].function.arguments must not be null");
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-empty string");
        }
    }
}
