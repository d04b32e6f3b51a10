package dev.tanrenai.datasets.format;

import static dev.tanrenai.datasets.format.JsonFields.invalid;
import static dev.tanrenai.datasets.format.JsonFields.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * ShareGPT's tool dialect as LLaMA-Factory and Glaive datasets write it: a {@code function_call}
 * turn whose value is the call as JSON ({@code {"name":..., "arguments":{...}}}, or a list of such
 * calls made at once) and an {@code observation} turn per call with its result, in order; the
 * tools offered are a {@code tools} field (JSON text or an array). ShareGPT has no call ids, so
 * each call gets {@code call_<turn>} (or {@code call_<turn>_<k>} for the k-th of several calls in
 * one turn, k from 1): the same record always gets the same ids, and each observation answers the
 * oldest unanswered call.
 */
final class ShareGptTools {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Calls made and not yet answered, oldest first. */
    private final Deque<String> pending = new ArrayDeque<>();

    /** The assistant turn for the {@code function_call} turn at index {@code turn}. */
    Message call(String value, int turn, String path) throws ConversationFormatException {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(value);
        } catch (IOException e) {
            throw invalid(
                    path,
                    "a function_call value must be JSON {\"name\":..., \"arguments\":{...}}, got '" + abbreviate(value)
                            + "'");
        }
        List<JsonNode> calls = new ArrayList<>();
        if (parsed != null && parsed.isArray()) {
            parsed.forEach(calls::add);
        } else {
            calls.add(parsed);
        }
        if (calls.isEmpty()) {
            throw invalid(path, "a function_call value lists no calls");
        }
        List<ToolCall> out = new ArrayList<>();
        for (int k = 0; k < calls.size(); k++) {
            String where = calls.size() == 1 ? path : path + "[" + k + "]";
            JsonNode call = calls.get(k);
            if (call == null || !call.isObject()) {
                throw invalid(
                        where,
                        "a function call must be an object with name and arguments, got "
                                + (call == null ? "nothing" : type(call)));
            }
            JsonNode name = call.get("name");
            if (name == null || !name.isTextual() || name.textValue().isBlank()) {
                throw invalid(where + ".name", "a function call needs its function's name");
            }
            JsonNode arguments = call.get("arguments");
            String argumentsJson = arguments == null || arguments.isNull()
                    ? "{}"
                    : arguments.isTextual() ? arguments.textValue() : arguments.toString();
            String id = calls.size() == 1 ? "call_" + turn : "call_" + turn + "_" + (k + 1);
            pending.addLast(id);
            out.add(new ToolCall(id, name.textValue(), argumentsJson));
        }
        return new Message(Role.ASSISTANT, "", out, null, null, null);
    }

    /** The tool turn for an {@code observation} turn: the result of the oldest unanswered call. */
    Message observation(String value, String path) throws ConversationFormatException {
        String id = pending.pollFirst();
        if (id == null) {
            throw invalid(path, "an observation must follow a function_call it answers; there is no unanswered call");
        }
        return Message.tool(id, value);
    }

    /** The {@code tools} field as JSON text (metadata {@code tools}), or null when absent. */
    static String tools(JsonNode record) throws ConversationFormatException {
        JsonNode v = record.get("tools");
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            return v.toString();
        }
        if (!v.isTextual()) {
            throw invalid("tools", "expected the tools as JSON text or an array, got " + type(v));
        }
        if (v.textValue().isBlank()) {
            return null;
        }
        try {
            JsonNode parsed = JSON.readTree(v.textValue());
            if (parsed == null || !parsed.isArray()) {
                throw invalid(
                        "tools", "expected a JSON array of tools, got " + (parsed == null ? "nothing" : type(parsed)));
            }
            return parsed.toString();
        } catch (IOException e) {
            throw invalid("tools", "is not JSON: '" + abbreviate(v.textValue()) + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
