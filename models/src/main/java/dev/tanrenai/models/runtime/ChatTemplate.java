package dev.tanrenai.models.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Message;
import java.util.List;

/**
 * Builds the OpenAI-style request body java-llama.cpp's {@code applyTemplate} renders with the
 * model's chat template (llama.cpp falls back to ChatML when the GGUF has none).
 *
 * <p>Only role and content are passed: this llama.cpp build renders templates without Jinja, where
 * tool-call structures are not supported, so an assistant turn's tool calls are not rendered.
 */
final class ChatTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatTemplate() {}

    static String requestBody(List<Message> messages, boolean addGenerationPrompt) {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("applyChatTemplate needs at least one message");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("messages");
        for (Message m : messages) {
            ObjectNode node = array.addObject();
            node.put("role", m.role().wireName());
            node.put("content", m.content());
        }
        body.put("add_generation_prompt", addGenerationPrompt);
        return body.toString();
    }
}
