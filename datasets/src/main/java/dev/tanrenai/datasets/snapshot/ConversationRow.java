package dev.tanrenai.datasets.snapshot;

import dev.tanrenai.datasets.Conversation;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One dataset row: a conversation plus the values of the extra columns a stage added.
 *
 * @param conversation the conversation (core columns)
 * @param extras extra column values by column name; a missing or null value is stored as null.
 *     Kept sorted by name.
 */
public record ConversationRow(Conversation conversation, Map<String, Object> extras) {

    public ConversationRow {
        Objects.requireNonNull(conversation, "conversation must not be null");
        extras = extras == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(extras));
    }

    /** A row without extra column values. */
    public static ConversationRow of(Conversation conversation) {
        return new ConversationRow(conversation, Map.of());
    }
}
