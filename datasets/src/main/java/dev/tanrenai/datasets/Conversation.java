package dev.tanrenai.datasets;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A conversation: an ordered list of messages plus where it came from.
 *
 * @param id stable identifier, unique within the store
 * @param source where it came from, e.g. {@code serve}, {@code import:openai:chats.jsonl}
 * <p>Times are kept to the microsecond (finer digits are truncated), the precision of the Arrow
 * datasets and of PostgreSQL timestamps, so a conversation reads back exactly as it was written.
 *
 * @param createdAt when its first message was recorded
 * @param updatedAt when its last message was recorded (never before {@code createdAt})
 * @param messages the turns in order; at least one
 * @param metadata free-form string attributes, kept sorted by key so serialisation is deterministic
 */
public record Conversation(
        String id,
        String source,
        Instant createdAt,
        Instant updatedAt,
        List<Message> messages,
        Map<String, String> metadata) {

    public Conversation {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("conversation id must be a non-empty string");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("conversation " + id + ": source must be a non-empty string");
        }
        Objects.requireNonNull(createdAt, "conversation " + id + ": createdAt must not be null");
        Objects.requireNonNull(updatedAt, "conversation " + id + ": updatedAt must not be null");
        createdAt = createdAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        updatedAt = updatedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        if (updatedAt.isBefore(createdAt)) {
            throw new IllegalArgumentException(
                    "conversation " + id + ": updatedAt " + updatedAt + " is before createdAt " + createdAt);
        }
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("conversation " + id + " has no messages");
        }
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** This conversation with more turns appended and {@code updatedAt} moved forward. */
    public Conversation withAppended(List<Message> more, Instant at) {
        List<Message> all = new java.util.ArrayList<>(messages);
        all.addAll(more);
        return new Conversation(id, source, createdAt, at.isAfter(updatedAt) ? at : updatedAt, all, metadata);
    }
}
