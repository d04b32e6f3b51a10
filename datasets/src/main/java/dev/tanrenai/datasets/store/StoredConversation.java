package dev.tanrenai.datasets.store;

import dev.tanrenai.datasets.Conversation;
import java.util.Objects;

/**
 * A conversation as the store holds it, with the sequence number of its last change.
 *
 * @param conversation its full current state
 * @param lastSeq the sequence number of the write that last changed it
 */
public record StoredConversation(Conversation conversation, long lastSeq) {
    public StoredConversation {
        Objects.requireNonNull(conversation, "conversation");
        if (lastSeq < 1) {
            throw new IllegalArgumentException("lastSeq must be >= 1, got " + lastSeq);
        }
    }
}
