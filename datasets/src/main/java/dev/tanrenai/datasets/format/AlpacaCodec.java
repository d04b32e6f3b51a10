package dev.tanrenai.datasets.format;

import static dev.tanrenai.datasets.format.JsonFields.invalid;
import static dev.tanrenai.datasets.format.JsonFields.type;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Alpaca-style instruction records, as LLaMA-Factory reads them: {@code {"instruction":...,
 * "input"?:..., "output":..., "system"?:..., "history"?:[[query, response], ...], "id"?,
 * "metadata"?}}. The system prompt becomes a leading system turn, each history pair a user and an
 * assistant turn, then the instruction (followed by the input on a new line when the input is not
 * empty) a user turn and the output an assistant turn.
 */
public final class AlpacaCodec {

    private final int maxMessageChars;

    public AlpacaCodec(int maxMessageChars) {
        this.maxMessageChars = maxMessageChars;
    }

    /** Reads one record; see {@link OpenAiChatCodec#read} for the parameters. */
    public Conversation read(JsonNode record, String source, Instant defaultTime) throws ConversationFormatException {
        JsonFields.requireObject(record, "");
        List<Message> messages = new ArrayList<>();
        String system = JsonFields.optionalString(record, "system", "system");
        if (system != null && !system.isEmpty()) {
            JsonFields.checkLength(system, maxMessageChars, "system");
            messages.add(Message.system(system));
        }
        JsonNode history = record.get("history");
        if (history != null && !history.isNull()) {
            if (!history.isArray()) {
                throw invalid("history", "expected an array of [query, response] pairs, got " + type(history));
            }
            for (int i = 0; i < history.size(); i++) {
                String path = "history[" + i + "]";
                JsonNode pair = history.get(i);
                if (!pair.isArray()
                        || pair.size() != 2
                        || !pair.get(0).isTextual()
                        || !pair.get(1).isTextual()) {
                    throw invalid(path, "expected a [query, response] pair of strings, got " + pair);
                }
                messages.add(Message.user(text(pair.get(0).textValue(), path + "[0]")));
                messages.add(Message.assistant(text(pair.get(1).textValue(), path + "[1]")));
            }
        }
        String instruction = JsonFields.requireString(record, "instruction", "instruction");
        String input = JsonFields.optionalString(record, "input", "input");
        String output = JsonFields.requireString(record, "output", "output");
        String prompt = input == null || input.isEmpty() ? instruction : instruction + "\n" + input;
        if (prompt.isBlank()) {
            throw invalid("instruction", "is empty (and so is input): there is no user turn");
        }
        if (output.isBlank()) {
            throw invalid("output", "is empty: there is no answer to learn");
        }
        messages.add(Message.user(text(prompt, "instruction")));
        messages.add(Message.assistant(text(output, "output")));
        return JsonFields.conversation(record, messages, source, defaultTime);
    }

    private String text(String value, String path) throws ConversationFormatException {
        JsonFields.checkLength(value, maxMessageChars, path);
        return value;
    }
}
