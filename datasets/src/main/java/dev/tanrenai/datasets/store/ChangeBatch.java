package dev.tanrenai.datasets.store;

import java.util.List;

/**
 * Conversations changed after a watermark, in sequence order.
 *
 * @param conversations each changed conversation's full current state
 * @param nextWatermark the watermark to read from next: the highest {@code lastSeq} returned, or the
 *     given watermark when nothing changed
 */
public record ChangeBatch(List<StoredConversation> conversations, long nextWatermark) {
    public ChangeBatch {
        conversations = List.copyOf(conversations);
        for (int i = 1; i < conversations.size(); i++) {
            if (conversations.get(i).lastSeq() <= conversations.get(i - 1).lastSeq()) {
                throw new IllegalArgumentException("a change batch must be in strictly increasing sequence order");
            }
        }
        if (!conversations.isEmpty()
                && nextWatermark != conversations.get(conversations.size() - 1).lastSeq()) {
            throw new IllegalArgumentException("nextWatermark must be the last conversation's lastSeq");
        }
    }

    public boolean isEmpty() {
        return conversations.isEmpty();
    }
}
