package dev.tanrenai.datasets.format;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.store.AppendResult;
import java.util.List;

/** Where imported conversations go: {@code ConversationStore::appendAll}. */
@FunctionalInterface
public interface ConversationSink {
    /**
     * Stores a batch in one transaction.
     *
     * @throws dev.tanrenai.datasets.store.ConversationConflictException when a conversation's history
     *     conflicts with the stored one (nothing of the batch is stored)
     */
    List<AppendResult> appendAll(List<Conversation> batch);
}
