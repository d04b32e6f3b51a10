package dev.tanrenai.datasets.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path dir;

    private ConversationStore store;

    @BeforeEach
    void open() {
        store = new ConversationStore(Database.open("jdbc:sqlite:" + dir.resolve("store.db")));
    }

    static Conversation conversation(String id, Message... messages) {
        return new Conversation(id, "test", T0, T0, List.of(messages), Map.of("client", "junit"));
    }

    @Test
    void aFullDiskIsNamedWithTheStoreAndLosesNothing() throws Exception {
        Path db = dir.resolve("store.db");
        store.append(conversation("kept", Message.user("hi"), Message.assistant("hello")));
        long pages;
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                var r = c.createStatement().executeQuery("PRAGMA page_count")) {
            pages = r.getLong(1);
        }
        // SQLite answers a full disk and its page limit with the same SQLITE_FULL, rolling back by itself
        ConversationStore limited =
                new ConversationStore(Database.open("jdbc:sqlite:" + db + "?max_page_count=" + (pages + 2)));
        List<Conversation> big = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            big.add(conversation("big-" + i, Message.user("x".repeat(4000))));
        }
        StoreFullException e = assertThrows(StoreFullException.class, () -> limited.appendAll(big));
        assertTrue(e.getMessage().contains("no space left on device for the store " + db), e.getMessage());
        assertTrue(e.getMessage().startsWith("append 50 conversation(s) starting with big-0 failed"), e.getMessage());
        assertEquals(1, store.stats().conversations(), "all or nothing, and the earlier one kept");
        assertTrue(store.get("kept").isPresent());
        store.appendAll(big);
        assertEquals(51, store.stats().conversations());
    }

    @Test
    void createsAppendsAndRecognisesUnchangedConversations() {
        Conversation first = conversation("c1", Message.user("hi"), Message.assistant("hello"));
        AppendResult created = store.append(first);
        assertEquals(AppendResult.Outcome.CREATED, created.outcome());
        assertEquals(2, created.newMessages());

        assertEquals(AppendResult.Outcome.UNCHANGED, store.append(first).outcome());
        Conversation prefix = conversation("c1", Message.user("hi"));
        assertEquals(AppendResult.Outcome.UNCHANGED, store.append(prefix).outcome());

        Instant later = T0.plusSeconds(60);
        Conversation longer = first.withAppended(List.of(Message.user("more?"), Message.assistant("sure")), later);
        AppendResult appended = store.append(longer);
        assertEquals(AppendResult.Outcome.APPENDED, appended.outcome());
        assertEquals(2, appended.newMessages());
        assertTrue(appended.seq() > created.seq());

        Conversation stored = store.get("c1").orElseThrow();
        assertEquals(longer.messages(), stored.messages());
        assertEquals(later, stored.updatedAt());
        assertEquals(T0, stored.createdAt());
        assertEquals(Map.of("client", "junit"), stored.metadata());
    }

    @Test
    void conflictingHistoryIsRefusedAndNamesTheMessage() {
        store.append(conversation("c1", Message.user("hi"), Message.assistant("hello")));
        StoreException e = assertThrows(
                StoreException.class,
                () -> store.append(
                        conversation("c1", Message.user("hi"), Message.assistant("bye"), Message.user("x"))));
        assertTrue(
                e.getMessage().contains("conversation c1 conflicts with the stored one at message 1"), e.getMessage());
        assertEquals(2, store.get("c1").orElseThrow().messages().size());
    }

    @Test
    void aFailedBatchWritesNothing() {
        store.append(conversation("c1", Message.user("hi"), Message.assistant("hello")));
        List<Conversation> batch =
                List.of(conversation("c2", Message.user("new")), conversation("c1", Message.user("different")));
        assertThrows(StoreException.class, () -> store.appendAll(batch));
        assertTrue(store.get("c2").isEmpty(), "the batch is one transaction");
    }

    @Test
    void everyMessageFieldRoundTrips() {
        Message call = new Message(
                Role.ASSISTANT, "", List.of(new ToolCall("call_1", "lookup", "{\"q\":\"日本\"}")), null, null, "a-123");
        Conversation c = conversation(
                "tools",
                Message.system("be brief"),
                new Message(Role.USER, "find 🍣", List.of(), null, "alice", null),
                call,
                Message.tool("call_1", "{\"hits\":1}"),
                Message.assistant("found it").withProducedBy("m-1"));
        store.append(c);
        assertEquals(c, store.get("tools").orElseThrow());
    }

    @Test
    void appendTurnsExtendsAStoredConversation() {
        store.append(conversation("c1", Message.user("hi")));
        AppendResult r = store.appendTurns("c1", List.of(Message.assistant("hello")), T0.plusSeconds(5));
        assertEquals(AppendResult.Outcome.APPENDED, r.outcome());
        assertEquals(2, store.get("c1").orElseThrow().messages().size());
        assertThrows(StoreException.class, () -> store.appendTurns("nope", List.of(Message.user("x")), T0));
    }

    @Test
    void feedbackIsValidatedAndReadIncrementally() {
        store.append(conversation("c1", Message.user("hi"), Message.assistant("hello")));
        long s1 = store.recordFeedback(Feedback.thumbsUp("c1", 1, T0));
        long s2 = store.recordFeedback(new Feedback("c1", null, -0.5, "too short", T0));
        assertTrue(s2 > s1);

        StoreException unknown =
                assertThrows(StoreException.class, () -> store.recordFeedback(Feedback.thumbsUp("c9", null, T0)));
        assertTrue(unknown.getMessage().contains("conversation c9"), unknown.getMessage());
        StoreException badIndex =
                assertThrows(StoreException.class, () -> store.recordFeedback(Feedback.thumbsDown("c1", 2, T0)));
        assertTrue(badIndex.getMessage().contains("has only 2 messages"), badIndex.getMessage());

        List<StoredFeedback> all = store.feedbackSince(0, 100);
        assertEquals(2, all.size());
        assertEquals(1.0, all.get(0).feedback().score());
        assertEquals("too short", all.get(1).feedback().comment());
        assertEquals(List.of(all.get(1)), store.feedbackSince(s1, 100));
    }

    @Test
    void readSincePagesThroughChangesWithoutGapsOrRepeats() {
        for (int i = 0; i < 25; i++) {
            store.append(conversation("c" + i, Message.user("q" + i), Message.assistant("a" + i)));
        }
        store.appendTurns("c3", List.of(Message.user("again")), T0.plusSeconds(1));

        long watermark = 0;
        List<String> seen = new java.util.ArrayList<>();
        ChangeBatch batch;
        while (!(batch = store.readSince(watermark, 7)).isEmpty()) {
            assertTrue(batch.conversations().size() <= 7);
            batch.conversations().forEach(sc -> seen.add(sc.conversation().id()));
            watermark = batch.nextWatermark();
        }
        assertEquals(25, seen.size(), "c3 appears once, at its newest change: " + seen);
        assertEquals("c3", seen.get(seen.size() - 1));
        assertEquals(3, store.get("c3").orElseThrow().messages().size());
        assertEquals(watermark, store.stats().lastSequence());
        assertTrue(store.readSince(watermark, 7).isEmpty());
        assertEquals(watermark, store.readSince(watermark, 7).nextWatermark());
    }

    @Test
    void aCutAtASequenceNumberHoldsEachConversationOnceAsOfThatNumber() {
        for (int i = 0; i < 10; i++) {
            store.append(conversation("c" + i, Message.user("q" + i)));
        }
        long cut = store.stats().lastSequence();
        store.appendTurns("c2", List.of(Message.assistant("late")), T0.plusSeconds(9)); // after the cut
        store.append(conversation("c10", Message.user("new")));

        List<String> ids = new java.util.ArrayList<>();
        store.iterate(0, cut, 3).forEachRemaining(c -> ids.add(c.id()));
        assertEquals(List.of("c0", "c1", "c3", "c4", "c5", "c6", "c7", "c8", "c9"), ids, "c2 changed after the cut");
        List<String> next = new java.util.ArrayList<>();
        store.iterate(cut, store.stats().lastSequence(), 3).forEachRemaining(c -> next.add(c.id()));
        assertEquals(List.of("c2", "c10"), next);
        assertThrows(IllegalArgumentException.class, () -> store.readRange(5, 4, 10));
    }

    @Test
    void statsCountWhatIsStored() {
        store.append(conversation("c1", Message.user("hi"), Message.assistant("hello")));
        store.append(new Conversation("c2", "other", T0, T0, List.of(Message.user("x")), Map.of()));
        StoreStats s = store.stats();
        assertEquals(2, s.conversations());
        assertEquals(3, s.messages());
        assertEquals(Map.of("assistant", 1L, "user", 2L), s.messagesByRole());
        assertEquals(Map.of("other", 1L, "test", 1L), s.conversationsBySource());
        assertEquals(1, s.schemaVersion());
        assertTrue(s.databaseBytes() > 0);
    }

    @Test
    void reopeningMigratesOnceAndKeepsTheData() {
        store.append(conversation("c1", Message.user("hi")));
        Database again = Database.open("jdbc:sqlite:" + dir.resolve("store.db"));
        ConversationStore reopened = new ConversationStore(again);
        assertEquals(1, reopened.stats().conversations());
        assertEquals(1, again.schemaVersion(ConversationSchema.COMPONENT));
    }

    @Test
    void aNewerSchemaThanThisCodeKnowsIsRefused() {
        Database db = store.database();
        db.write("fake a future migration", c -> c.createStatement()
                .executeUpdate("INSERT INTO schema_migrations VALUES ('conversations', 2, 'future', 'now')"));
        StoreException e = assertThrows(StoreException.class, () -> new ConversationStore(db));
        assertTrue(e.getMessage().contains("upgrade Tanrenai"), e.getMessage());
    }

    @Test
    void aNonJdbcUrlIsAClearError() {
        StoreException e = assertThrows(StoreException.class, () -> Database.open("sqlite:/tmp/x.db"));
        assertTrue(e.getMessage().startsWith("store.url must be a JDBC URL"), e.getMessage());
    }
}
