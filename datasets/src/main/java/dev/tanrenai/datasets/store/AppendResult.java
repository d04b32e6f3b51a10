package dev.tanrenai.datasets.store;

/**
 * What appending one conversation did to the store.
 *
 * @param conversationId the conversation
 * @param outcome created, appended to, or unchanged
 * @param newMessages how many messages were written (0 when unchanged)
 * @param seq the sequence number of this change (0 when unchanged)
 */
public record AppendResult(String conversationId, Outcome outcome, int newMessages, long seq) {

    /** What happened to the conversation. */
    public enum Outcome {
        /** A new conversation. */
        CREATED,
        /** New turns were appended to a stored conversation whose messages were a prefix. */
        APPENDED,
        /** The store already held these messages. */
        UNCHANGED
    }

    public AppendResult {
        if (conversationId == null || conversationId.isBlank()) {
            throw new IllegalArgumentException("conversationId must be a non-empty string");
        }
        if (outcome == null) {
            throw new IllegalArgumentException("outcome must not be null");
        }
        if (newMessages < 0) {
            throw new IllegalArgumentException("newMessages must be >= 0, got " + newMessages);
        }
    }
}
