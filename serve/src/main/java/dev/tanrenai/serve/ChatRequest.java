package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.format.ConversationFormatException;
import dev.tanrenai.datasets.format.OpenAiChatCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A validated {@code POST /v1/chat/completions} (or {@code /v1/completions}) request.
 *
 * @param model the model the client named (informational: the router picks the arm)
 * @param messages the conversation so far (for {@code /v1/completions}: empty)
 * @param prompt the raw prompt of {@code /v1/completions}, null for chat
 * @param tools OpenAI function definitions for the template, or null
 * @param seed the client's seed, or a random one
 * @param user the client's {@code user}, or null
 */
public record ChatRequest(
        String model,
        List<Message> messages,
        String prompt,
        JsonNode tools,
        float temperature,
        float topP,
        int maxTokens,
        List<String> stop,
        long seed,
        String user,
        boolean stream,
        boolean includeUsage) {

    public ChatRequest {
        messages = List.copyOf(messages);
        stop = List.copyOf(stop);
    }

    /** This request on behalf of {@code user} (the {@code X-Tanrenai-User} header when the body names none). */
    public ChatRequest withUser(String user) {
        return new ChatRequest(
                model, messages, prompt, tools, temperature, topP, maxTokens, stop, seed, user, stream, includeUsage);
    }

    /**
     * Parses and validates a request body.
     *
     * @throws OpenAiException (400) naming the offending field
     */
    public static ChatRequest parse(JsonNode body, boolean chat, ServeConfig config) {
        if (body == null || !body.isObject()) {
            throw OpenAiException.badRequest(null, "the request body must be a JSON object");
        }
        String model = body.path("model").asText("");
        if (body.has("n") && body.get("n").asInt(-1) != 1) {
            throw OpenAiException.badRequest("n", "only n = 1 is supported");
        }
        List<Message> messages = List.of();
        String prompt = null;
        if (chat) {
            JsonNode list = body.get("messages");
            if (list == null || !list.isArray() || list.isEmpty()) {
                throw OpenAiException.badRequest("messages", "messages must be a non-empty array");
            }
            if (list.size() > config.maxPromptTokens()) {
                // every message renders to at least one token; refused before llama.cpp's tokenizer, whose
                // special-token pass took 33 s (holding the model) on 20000 tiny messages
                throw OpenAiException.badRequest(
                        "messages",
                        "messages has " + list.size() + " entries; a prompt of at most " + config.maxPromptTokens()
                                + " tokens cannot hold more than " + config.maxPromptTokens() + " messages");
            }
            ObjectNode record = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            record.set("messages", list);
            try {
                messages = new OpenAiChatCodec(Integer.MAX_VALUE)
                        .read(record, "serve", Instant.EPOCH)
                        .messages();
            } catch (ConversationFormatException e) {
                throw OpenAiException.badRequest("messages", e.getMessage());
            }
        } else {
            JsonNode p = body.get("prompt");
            if (p == null || !p.isTextual()) {
                throw OpenAiException.badRequest("prompt", "prompt must be a string");
            }
            prompt = p.asText();
        }
        JsonNode tools;
        try {
            tools = dev.tanrenai.models.runtime.ToolDefinitions.normalize(body.get("tools"));
        } catch (IllegalArgumentException e) {
            throw OpenAiException.badRequest("tools", e.getMessage());
        }
        if ("none".equals(body.path("tool_choice").asText(null))) {
            tools = null;
        }
        float temperature = (float) number(body, "temperature", 1.0, 0, 2);
        float topP = (float) number(body, "top_p", 1.0, 1e-6, 1);
        JsonNode maxNode =
                body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        int maxTokens = config.defaultMaxTokens();
        if (maxNode != null && !maxNode.isNull()) {
            if (!maxNode.canConvertToInt() || maxNode.asInt() < 1 || maxNode.asInt() > config.maxTokensLimit()) {
                throw OpenAiException.badRequest(
                        "max_tokens",
                        "max_tokens must be an integer in [1, " + config.maxTokensLimit() + "], got " + maxNode);
            }
            maxTokens = maxNode.asInt();
        }
        List<String> stop = new ArrayList<>();
        JsonNode stopNode = body.get("stop");
        if (stopNode != null && !stopNode.isNull()) {
            if (stopNode.isTextual()) {
                stop.add(stopNode.asText());
            } else if (stopNode.isArray() && stopNode.size() <= 4) {
                stopNode.forEach(s -> stop.add(s.asText()));
            } else {
                throw OpenAiException.badRequest("stop", "stop must be a string or an array of up to 4 strings");
            }
            if (stop.stream().anyMatch(String::isEmpty)) {
                throw OpenAiException.badRequest("stop", "stop strings must not be empty");
            }
        }
        long seed = ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE);
        JsonNode seedNode = body.get("seed");
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.canConvertToLong()) {
                throw OpenAiException.badRequest("seed", "seed must be an integer");
            }
            seed = Math.floorMod(seedNode.asLong(), (long) Integer.MAX_VALUE);
        }
        String user = body.hasNonNull("user") ? body.get("user").asText() : null;
        boolean stream = body.path("stream").asBoolean(false);
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        return new ChatRequest(
                model, messages, prompt, tools, temperature, topP, maxTokens, stop, seed, user, stream, includeUsage);
    }

    private static double number(JsonNode body, String field, double fallback, double min, double max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber() || n.asDouble() < min || n.asDouble() > max) {
            throw OpenAiException.badRequest(
                    field, field + " must be a number in [" + min + ", " + max + "], got " + n);
        }
        return n.asDouble();
    }
}
