package dev.tanrenai.curate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.format.ConversationFormatException;
import dev.tanrenai.datasets.format.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Helpers for the curate stage's elements: envelopes ({@link Envelope}) that carry what the stages
 * add as extra JSON fields ({@code quality}, {@code cluster_size}, {@code split}).
 */
final class Curated {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Curated() {}

    static Conversation conversation(String envelope) {
        try {
            return Envelope.decode(envelope);
        } catch (ConversationFormatException e) {
            throw new IllegalStateException("a curated record does not decode (" + e.getMessage() + ")", e);
        }
    }

    static ObjectNode tree(String envelope) {
        try {
            return (ObjectNode) JSON.readTree(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code envelope} re-encoded from {@code c}, keeping its origin and annotations. */
    static String replace(String envelope, Conversation c) {
        ObjectNode old = tree(envelope);
        ObjectNode fresh = tree(Envelope.of(c, old.path("origin").asText("?")));
        old.properties().forEach(f -> {
            if (!fresh.has(f.getKey())) {
                fresh.set(f.getKey(), f.getValue());
            }
        });
        return fresh.toString();
    }

    static String with(String envelope, String field, JsonNode value) {
        ObjectNode node = tree(envelope);
        node.set(field, value);
        return node.toString();
    }

    static JsonNode get(String envelope, String field) {
        return tree(envelope).path(field);
    }

    static ObjectMapper json() {
        return JSON;
    }
}
