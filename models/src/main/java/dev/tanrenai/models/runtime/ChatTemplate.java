package dev.tanrenai.models.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.format.OpenAiChatCodec;
import java.util.List;

/**
 * Builds the OpenAI-style request body java-llama.cpp's {@code applyTemplate} renders with the
 * model's chat template (llama.cpp falls back to ChatML when the GGUF has none).
 *
 * <p>The runtime loads models with llama.cpp's Jinja engine, so the messages carry everything an
 * OpenAI request carries: an assistant turn's {@code tool_calls} (its content then null when empty),
 * a tool turn's {@code tool_call_id}, and {@code name}. Templates without tool support get llama.cpp's
 * polyfill, which renders calls and results as JSON text.
 */
final class ChatTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatTemplate() {}

    static String requestBody(List<Message> messages, boolean addGenerationPrompt) {
        return requestBody(messages, null, addGenerationPrompt);
    }

    /** With OpenAI {@code tools} (function definitions) for the template, or null for none. */
    static String requestBody(
            List<Message> messages, com.fasterxml.jackson.databind.JsonNode tools, boolean addGenerationPrompt) {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("applyChatTemplate needs at least one message");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("messages");
        for (Message m : messages) {
            array.add(OpenAiChatCodec.writeMessage(m));
        }
        com.fasterxml.jackson.databind.node.ArrayNode clean = ToolDefinitions.normalize(tools);
        if (clean != null) {
            body.set("tools", clean);
        }
        body.put("add_generation_prompt", addGenerationPrompt);
        return body.toString();
    }
}
