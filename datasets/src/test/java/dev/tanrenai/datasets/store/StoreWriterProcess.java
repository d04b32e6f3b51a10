package dev.tanrenai.datasets.store;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.time.Instant;
import java.util.List;

/**
 * A separate writer process for {@link CrossProcessStoreTest}: like the server, it appends
 * conversations and later turns to the store at {@code args[0]}.
 */
public final class StoreWriterProcess {
    private StoreWriterProcess() {}

    public static void main(String[] args) {
        String url = args[0];
        int count = Integer.parseInt(args[1]);
        ConversationStore store = new ConversationStore(Database.open(url));
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            store.append(new Conversation("p" + i, "serve", t, t, List.of(Message.user("q" + i)), null));
            if (i % 5 == 0 && i > 0) {
                store.appendTurns("p" + (i / 5), List.of(Message.assistant("a" + i)), t);
            }
        }
        System.out.println("done " + count);
    }
}
