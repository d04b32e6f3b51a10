package dev.tanrenai.models.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAI {@code tools} checked and rebuilt before they reach llama.cpp's template engine, which
 * aborts the whole JVM (an uncaught C++ exception) on a definition it cannot parse — e.g. one
 * without {@code description} or {@code parameters}, both optional for OpenAI. Each tool becomes exactly
 * {@code {"type":"function","function":{"name","description","parameters"}}}, with an empty
 * description and an empty object schema when they are absent; anything else is refused with the path of the bad field.
 */
public final class ToolDefinitions {
    private ToolDefinitions() {}

    /**
     * @return the normalized array, or null for no tools
     * @throws IllegalArgumentException naming the offending field ({@code tools[1].function.name})
     */
    public static ArrayNode normalize(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return null;
        }
        if (!tools.isArray()) {
            throw new IllegalArgumentException("tools: must be an array of function definitions");
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            if (!tool.isObject() || !"function".equals(tool.path("type").asText(""))) {
                throw new IllegalArgumentException(at + ".type: must be \"function\"");
            }
            JsonNode function = tool.get("function");
            if (function == null || !function.isObject()) {
                throw new IllegalArgumentException(at + ".function: must be an object");
            }
            JsonNode name = function.get("name");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                throw new IllegalArgumentException(at + ".function.name: must be a non-empty string");
            }
            ObjectNode clean = out.addObject();
            clean.put("type", "function");
            ObjectNode f = clean.putObject("function");
            f.put("name", name.asText());
            JsonNode description = function.get("description");
            if (description != null && !description.isNull() && !description.isTextual()) {
                throw new IllegalArgumentException(at + ".function.description: must be a string");
            }
            f.put("description", description == null || description.isNull() ? "" : description.asText());
            JsonNode parameters = function.get("parameters");
            if (parameters == null || parameters.isNull()) {
                f.putObject("parameters").put("type", "object").putObject("properties");
            } else if (parameters.isObject()) {
                f.set("parameters", parameters);
            } else {
                throw new IllegalArgumentException(at + ".function.parameters: must be a JSON schema object");
            }
        }
        return out.isEmpty() ? null : out;
    }
}
