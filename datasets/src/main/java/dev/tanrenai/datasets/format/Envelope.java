package dev.tanrenai.datasets.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Conversation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a conversation travels through the pipelines: one JSON line holding the record in its source
 * format, the format, its origin ({@code store:SEQ}, {@code FILE:LINE}), source and times. Strings
 * keep Beam's coders simple and every runner happy; {@link #decode} turns one back into a
 * {@link Conversation}, failing with a typed exception that the validation turns into a quarantine reason.
 */
public final class Envelope {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Envelope() {}

    /** A stored conversation, in OpenAI format with its metadata. */
    public static String of(Conversation c, String origin) {
        ObjectNode e = JSON.createObjectNode();
        e.put("format", ChatFormat.OPENAI.name());
        e.put("origin", origin);
        e.put("source", c.source());
        e.put("created_at", c.createdAt().toString());
        e.put("updated_at", c.updatedAt().toString());
        e.set("metadata", JSON.valueToTree(new TreeMap<>(c.metadata())));
        e.set("record", OpenAiChatCodec.write(c));
        return e.toString();
    }

    /** A raw line from an import file (it may be anything: validation decides). */
    public static String ofLine(String line, ChatFormat format, String origin, String source) {
        ObjectNode e = JSON.createObjectNode();
        e.put("format", format.name());
        e.put("origin", origin);
        e.put("source", source);
        e.put("raw", line);
        return e.toString();
    }

    /** A line that is not valid UTF-8, kept as Base64 so the quarantine loses nothing. */
    public static String ofInvalidUtf8(String base64, ChatFormat format, String origin, String source) {
        ObjectNode e = JSON.createObjectNode();
        e.put("format", format.name());
        e.put("origin", origin);
        e.put("source", source);
        e.put("raw_base64", base64);
        return e.toString();
    }

    public static String origin(String envelope) {
        return tree(envelope).path("origin").asText("?");
    }

    /** The conversation an envelope holds. */
    public static Conversation decode(String envelope) throws ConversationFormatException {
        JsonNode e = tree(envelope);
        ChatFormat format = ChatFormat.valueOf(e.path("format").asText("OPENAI"));
        JsonNode record = e.get("record");
        if (e.has("raw_base64")) {
            throw new ConversationFormatException(
                    "", "", "the line is not valid UTF-8", dev.tanrenai.datasets.format.RejectKind.INVALID_UTF8);
        }
        if (record == null) {
            try {
                record = JSON.readTree(e.path("raw").asText(""));
            } catch (IOException bad) {
                throw new ConversationFormatException(
                        "",
                        "",
                        "not JSON: " + bad.getMessage().split("\n")[0],
                        dev.tanrenai.datasets.format.RejectKind.INVALID_JSON);
            }
        }
        Instant created =
                e.has("created_at") ? Instant.parse(e.get("created_at").asText()) : Instant.EPOCH;
        String source = e.path("source").asText("unknown");
        Conversation c =
                switch (format) {
                    case OPENAI -> new OpenAiChatCodec(Integer.MAX_VALUE).read(record, source, created);
                    case SHAREGPT -> new ShareGptCodec(Integer.MAX_VALUE).read(record, source, created);
                    case ALPACA -> new AlpacaCodec(Integer.MAX_VALUE).read(record, source, created);
                };
        if (e.has("updated_at") || e.has("metadata")) {
            Map<String, String> metadata = new TreeMap<>(c.metadata());
            e.path("metadata")
                    .fields()
                    .forEachRemaining(f -> metadata.put(f.getKey(), f.getValue().asText()));
            Instant updated =
                    e.has("updated_at") ? Instant.parse(e.get("updated_at").asText()) : c.updatedAt();
            c = new Conversation(c.id(), c.source(), c.createdAt(), updated, c.messages(), metadata);
        }
        return c;
    }

    private static JsonNode tree(String envelope) {
        try {
            return JSON.readTree(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException("not an envelope: " + envelope, e);
        }
    }
}
