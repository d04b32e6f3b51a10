package dev.tanrenai.datasets.store;

/** A conversation's history conflicts with the stored one: the store only appends turns. */
public class ConversationConflictException extends StoreException {
    private final String conversationId;

    public ConversationConflictException(String conversationId, String message) {
        super(message);
        this.conversationId = conversationId;
    }

    public String conversationId() {
        return conversationId;
    }
}
