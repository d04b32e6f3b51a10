package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.ToolCall;
import java.util.List;

/** The OpenAI response bodies: chat.completion, chat.completion.chunk, text_completion. */
final class Responses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {}

    static ObjectNode chatCompletion(ChatService.Reply r) {
        ObjectNode root = head(r, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (r.toolCalls().isEmpty()) {
            message.put("content", r.text());
        } else {
            message.putNull("content");
            toolCalls(message.putArray("tool_calls"), r.toolCalls(), false);
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", r.finishReason());
        usage(root, r);
        return root;
    }

    static ObjectNode textCompletion(ChatService.Reply r) {
        ObjectNode root = head(r, "text_completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.put("text", r.text());
        choice.putNull("logprobs");
        choice.put("finish_reason", r.finishReason());
        usage(root, r);
        return root;
    }

    /** A streamed chunk: the role first, then content pieces, then the finish (and optionally usage). */
    static ObjectNode chunk(
            String id,
            long created,
            String model,
            String role,
            String content,
            List<ToolCall> toolCalls,
            String finishReason) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("object", "chat.completion.chunk");
        root.put("created", created);
        root.put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
            delta.put("content", "");
        }
        if (content != null) {
            delta.put("content", content);
        }
        if (toolCalls != null && !toolCalls.isEmpty()) {
            toolCalls(delta.putArray("tool_calls"), toolCalls, true);
        }
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return root;
    }

    static ObjectNode usageChunk(ChatService.Reply r, String id) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("object", "chat.completion.chunk");
        root.put("created", r.created());
        root.put("model", r.model());
        root.putArray("choices");
        usage(root, r);
        return root;
    }

    private static ObjectNode head(ChatService.Reply r, String object) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", r.id());
        root.put("object", object);
        root.put("created", r.created());
        root.put("model", r.model());
        root.put("system_fingerprint", "tanrenai-" + r.arm().wireName());
        return root;
    }

    private static void usage(ObjectNode root, ChatService.Reply r) {
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", r.promptTokens());
        usage.put("completion_tokens", r.completionTokens());
        usage.put("total_tokens", r.promptTokens() + r.completionTokens());
    }

    private static void toolCalls(ArrayNode array, List<ToolCall> calls, boolean indexed) {
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            ObjectNode node = array.addObject();
            if (indexed) {
                node.put("index", i);
            }
            node.put("id", call.id());
            node.put("type", "function");
            ObjectNode function = node.putObject("function");
            function.put("name", call.name());
            function.put("arguments", call.argumentsJson());
        }
    }
}
