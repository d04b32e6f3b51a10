package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Translates Ollama's {@code /api/chat} and {@code /api/generate} bodies into the OpenAI body that
 * {@link ChatRequest#parse} validates, so both APIs share one set of checks and limits. Ollama's
 * sampling defaults apply (temperature 0.8, top_p 0.9); {@code options.num_predict} is the token
 * limit (negative: the server's default); what Tanrenai cannot honour ({@code images},
 * {@code format}, {@code suffix}, {@code template}, {@code context}) is refused naming the field.
 */
final class OllamaRequests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OllamaRequests() {}

    /** The model name without Ollama's default {@code :latest} tag. */
    static String modelName(JsonNode body) {
        JsonNode model = body.hasNonNull("model") ? body.get("model") : body.get("name"); // "name": older clients
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw OpenAiException.badRequest("model", "model is required (see GET /api/tags)");
        }
        String name = model.asText();
        return name.endsWith(":latest") ? name.substring(0, name.length() - ":latest".length()) : name;
    }

    static ChatRequest chat(JsonNode body, ServeConfig config) {
        requireObject(body);
        refuse(body, "format", "images");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray()) {
            throw OpenAiException.badRequest("messages", "messages must be an array");
        }
        ArrayNode openAi = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw OpenAiException.badRequest("messages[" + i + "]", "messages[" + i + "] must be an object");
            }
            if (m.has("images")) {
                throw OpenAiException.badRequest(
                        "messages[" + i + "].images", "images are not supported: the models served here take text");
            }
            ObjectNode out = openAi.addObject();
            out.set("role", m.get("role"));
            out.put("content", m.path("content").asText(""));
            if (m.path("tool_calls").isArray()) {
                ArrayNode calls = out.putArray("tool_calls");
                int n = 0;
                for (JsonNode call : m.get("tool_calls")) {
                    ObjectNode c = calls.addObject();
                    c.put("id", "call_" + n++);
                    c.put("type", "function");
                    ObjectNode f = c.putObject("function");
                    f.put("name", call.path("function").path("name").asText(""));
                    JsonNode args = call.path("function").path("arguments");
                    f.put(
                            "arguments",
                            args.isTextual() ? args.asText() : args.isMissingNode() ? "{}" : args.toString());
                }
            }
            if (m.hasNonNull("tool_name")) {
                out.put("name", m.get("tool_name").asText());
            }
        }
        ObjectNode openAiBody = common(body, config);
        openAiBody.set("messages", openAi);
        if (body.has("tools")) {
            openAiBody.set("tools", body.get("tools"));
        }
        return ChatRequest.parse(openAiBody, true, config);
    }

    /** A generate request; null when it only asks to load the model (no prompt). */
    static ChatRequest generate(JsonNode body, ServeConfig config) {
        requireObject(body);
        refuse(body, "format", "images", "suffix", "template", "context");
        JsonNode prompt = body.get("prompt");
        if (prompt != null && !prompt.isNull() && !prompt.isTextual()) {
            throw OpenAiException.badRequest("prompt", "prompt must be a string");
        }
        if (prompt == null || prompt.isNull() || prompt.asText().isEmpty()) {
            return null;
        }
        ObjectNode openAiBody = common(body, config);
        if (body.path("raw").asBoolean(false)) {
            openAiBody.put("prompt", prompt.asText());
            return ChatRequest.parse(openAiBody, false, config);
        }
        ArrayNode messages = openAiBody.putArray("messages");
        if (body.hasNonNull("system")) {
            messages.addObject()
                    .put("role", "system")
                    .put("content", body.get("system").asText());
        }
        messages.addObject().put("role", "user").put("content", prompt.asText());
        return ChatRequest.parse(openAiBody, true, config);
    }

    private static ObjectNode common(JsonNode body, ServeConfig config) {
        ObjectNode out = JSON.createObjectNode();
        out.put("model", modelName(body));
        JsonNode options = body.path("options");
        if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
            throw OpenAiException.badRequest("options", "options must be an object");
        }
        out.set("temperature", options.has("temperature") ? options.get("temperature") : out.numberNode(0.8));
        out.set("top_p", options.has("top_p") ? options.get("top_p") : out.numberNode(0.9));
        if (options.has("seed")) {
            out.set("seed", options.get("seed"));
        }
        if (options.has("stop")) {
            out.set("stop", options.get("stop"));
        }
        JsonNode numPredict = options.get("num_predict");
        if (numPredict != null && !numPredict.isNull()) {
            if (!numPredict.canConvertToInt()) {
                throw OpenAiException.badRequest("options.num_predict", "options.num_predict must be an integer");
            }
            if (numPredict.asInt() >= 0) {
                out.set("max_tokens", numPredict);
            }
        }
        return out;
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw OpenAiException.badRequest(null, "the request body must be a JSON object");
        }
    }

    private static void refuse(JsonNode body, String... fields) {
        for (String field : fields) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull() && !(v.isTextual() && v.asText().isEmpty()) && !(v.isArray() && v.isEmpty())) {
                throw OpenAiException.badRequest(field, "'" + field + "' is not supported by this server");
            }
        }
    }

    /** Whether the body asks for a stream (Ollama streams unless {@code "stream": false}). */
    static boolean streams(JsonNode body) {
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw OpenAiException.badRequest("stream", "stream must be a boolean");
        }
        return stream == null || stream.isNull() || stream.asBoolean();
    }
}
