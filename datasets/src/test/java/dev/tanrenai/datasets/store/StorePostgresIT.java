package dev.tanrenai.datasets.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import dev.tanrenai.datasets.testing.PostgresDatabases;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The same store schema and semantics on a real PostgreSQL server. */
class StorePostgresIT {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00.123456Z");

    @Test
    void storeWorksOnPostgres() throws Exception {
        String url = PostgresDatabases.fresh("store");
        ConversationStore store = new ConversationStore(Database.open(url));
        new ConversationStore(Database.open(url)); // migrating twice is a no-op

        Conversation c = new Conversation(
                "c1",
                "serve",
                T0,
                T0,
                List.of(
                        Message.user("find 🍣"),
                        new Message(Role.ASSISTANT, "", List.of(new ToolCall("k", "f", "{}")), null, null, "m-1"),
                        Message.tool("k", "ok")),
                Map.of("k", "v"));
        assertEquals(AppendResult.Outcome.CREATED, store.append(c).outcome());
        assertEquals(AppendResult.Outcome.UNCHANGED, store.append(c).outcome());
        assertEquals(c, store.get("c1").orElseThrow(), "exact round trip, microseconds included");
        AppendResult appended = store.append(c.withAppended(List.of(Message.assistant("done")), T0.plusSeconds(1)));
        assertEquals(AppendResult.Outcome.APPENDED, appended.outcome());
        assertThrows(
                ConversationConflictException.class,
                () -> store.append(new Conversation("c1", "serve", T0, T0, List.of(Message.user("other")), Map.of())));

        long f = store.recordFeedback(Feedback.thumbsUp("c1", 3, T0));
        assertEquals(1, store.feedbackSince(0, 10).size());
        assertTrue(f > appended.seq());

        StoreStats stats = store.stats();
        assertEquals(1, stats.conversations());
        assertEquals(4, stats.messages());
        assertEquals(-1, stats.databaseBytes());
        assertEquals(1, stats.schemaVersion());
    }

    @Test
    void aReaderSeesEveryChangeOnceWhileAWriterWrites() throws Exception {
        String url = PostgresDatabases.fresh("race");
        new ConversationStore(Database.open(url));
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Map<String, Integer>> writer = CompletableFuture.supplyAsync(() -> {
            ConversationStore store = new ConversationStore(Database.open(url));
            Map<String, Integer> sizes = new HashMap<>();
            try {
                for (int i = 0; i < 300; i++) {
                    store.append(new Conversation("c" + i, "serve", T0, T0, List.of(Message.user("q" + i)), null));
                    sizes.put("c" + i, 1);
                    if (i % 4 == 0 && i > 0) {
                        store.appendTurns("c" + (i / 4), List.of(Message.assistant("a")), T0);
                        sizes.merge("c" + (i / 4), 1, Integer::sum);
                    }
                }
            } finally {
                done.set(true);
            }
            return sizes;
        });
        ConversationStore reader = new ConversationStore(Database.open(url));
        Set<String> seen = new HashSet<>();
        Map<String, Integer> last = new HashMap<>();
        long watermark = 0;
        while (true) {
            boolean finalPass = done.get();
            ChangeBatch batch = reader.readSince(watermark, 37);
            for (StoredConversation sc : batch.conversations()) {
                assertTrue(seen.add(sc.conversation().id() + "@" + sc.lastSeq()), "read twice");
                last.put(sc.conversation().id(), sc.conversation().messages().size());
            }
            watermark = batch.nextWatermark();
            if (batch.isEmpty() && finalPass) {
                break;
            }
        }
        assertEquals(writer.get(2, TimeUnit.MINUTES), last);
    }
}
