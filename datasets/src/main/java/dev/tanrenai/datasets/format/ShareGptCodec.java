package dev.tanrenai.datasets.format;

import static dev.tanrenai.datasets.format.JsonFields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ShareGPT: {@code {"conversations":[{"from":...,"value":...}], "id"?, "system"?}}.
 *
 * <p>Speakers: {@code human}/{@code user} become user turns, {@code gpt}/{@code assistant}/
 * {@code chatgpt} assistant turns, {@code system} a system turn; a top-level {@code system} string
 * becomes a leading system turn. The tool dialect ({@link ShareGptTools}): a {@code function_call}
 * turn becomes an assistant turn with tool calls, an {@code observation} (also {@code tool} or
 * {@code function}) turn the tool result of the oldest unanswered call, with generated,
 * deterministic call ids; a {@code tools} field is kept as metadata {@code tools}.
 */
public final class ShareGptCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxMessageChars;

    public ShareGptCodec(int maxMessageChars) {
        this.maxMessageChars = maxMessageChars;
    }

    /** Reads one record; see {@link OpenAiChatCodec#read} for the parameters. */
    public Conversation read(JsonNode record, String source, Instant defaultTime) throws ConversationFormatException {
        JsonFields.requireObject(record, "");
        JsonNode turns = JsonFields.requireArray(record, "conversations", "conversations");
        List<Message> messages = new ArrayList<>();
        String system = JsonFields.optionalString(record, "system", "system");
        if (system != null && !system.isEmpty()) {
            JsonFields.checkLength(system, maxMessageChars, "system");
            messages.add(Message.system(system));
        }
        ShareGptTools tools = new ShareGptTools();
        for (int i = 0; i < turns.size(); i++) {
            String path = "conversations[" + i + "]";
            JsonNode turn = JsonFields.requireObject(turns.get(i), path);
            String from = JsonFields.requireString(turn, "from", path + ".from");
            String value = JsonFields.requireString(turn, "value", path + ".value");
            JsonFields.checkLength(value, maxMessageChars, path + ".value");
            messages.add(
                    switch (speaker(from, path + ".from")) {
                        case CALL -> tools.call(value, i, path + ".value");
                        case OBSERVATION -> tools.observation(value, path);
                        case SYSTEM -> Message.system(value);
                        case USER -> Message.user(value);
                        case ASSISTANT -> Message.assistant(value);
                    });
        }
        Conversation c = JsonFields.conversation(record, messages, source, defaultTime);
        String offered = ShareGptTools.tools(record);
        if (offered == null) {
            return c;
        }
        java.util.Map<String, String> metadata = new java.util.TreeMap<>(c.metadata());
        metadata.put(TOOLS_METADATA, offered);
        return new Conversation(c.id(), c.source(), c.createdAt(), c.updatedAt(), c.messages(), metadata);
    }

    /**
     * The record for {@code c}: {@code human}/{@code gpt}/{@code system} turns, its id and metadata.
     *
     * @throws IllegalArgumentException when {@code c} has tool calls or tool results, which ShareGPT
     *     cannot hold (export those conversations in the OpenAI format)
     */
    public static ObjectNode write(Conversation c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", c.id());
        ArrayNode turns = root.putArray("conversations");
        for (int i = 0; i < c.messages().size(); i++) {
            Message m = c.messages().get(i);
            if (m.role() == Role.TOOL || !m.toolCalls().isEmpty()) {
                throw new IllegalArgumentException("conversation " + c.id() + ", message " + i
                        + ": ShareGPT cannot hold tool calls or tool results; export it in the OpenAI format");
            }
            ObjectNode turn = turns.addObject();
            turn.put(
                    "from",
                    switch (m.role()) {
                        case SYSTEM -> "system";
                        case USER -> "human";
                        case ASSISTANT -> "gpt";
                        case TOOL -> throw new IllegalStateException("unreachable: tool turns are rejected above");
                    });
            turn.put("value", m.content());
        }
        if (!c.metadata().isEmpty()) {
            ObjectNode metadata = root.putObject("metadata");
            c.metadata().forEach(metadata::put);
        }
        return root;
    }

    /** The metadata key of the tools a ShareGPT record offers (its {@code tools} field, as JSON). */
    public static final String TOOLS_METADATA = "tools";

    private enum Speaker {
        SYSTEM,
        USER,
        ASSISTANT,
        CALL,
        OBSERVATION
    }

    private static Speaker speaker(String from, String path) throws ConversationFormatException {
        return switch (from.toLowerCase(Locale.ROOT)) {
            case "human", "user" -> Speaker.USER;
            case "gpt", "assistant", "chatgpt" -> Speaker.ASSISTANT;
            case "system" -> Speaker.SYSTEM;
            case "function_call" -> Speaker.CALL;
            case "observation", "tool", "function" -> Speaker.OBSERVATION;
            default ->
                throw invalid(
                        path,
                        "unknown speaker '" + from + "' (expected human, gpt, system, function_call or observation;"
                                + " also user, assistant, tool)");
        };
    }
}
