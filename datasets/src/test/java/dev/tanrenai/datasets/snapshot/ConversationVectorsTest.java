package dev.tanrenai.datasets.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class ConversationVectorsTest {

    private static List<ConversationRow> roundTrip(List<ConversationRow> rows, List<ExtraColumn> extras) {
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(ConversationArrowSchema.schema(extras), allocator)) {
            ConversationVectors.fill(root, rows);
            assertEquals(rows.size(), root.getRowCount());
            return ConversationVectors.read(root);
        }
    }

    @Test
    void richConversationsRoundTripExactly() {
        List<Conversation> conversations = TestConversations.rich();
        List<ConversationRow> back =
                roundTrip(conversations.stream().map(ConversationRow::of).toList(), List.of());
        assertEquals(
                conversations, back.stream().map(ConversationRow::conversation).toList());
        Conversation tools = back.get(0).conversation();
        // empty string and null stay apart
        assertEquals("", tools.metadata().get("alpha"));
        assertTrue(tools.metadata().containsKey("nullable"));
        assertNull(tools.metadata().get("nullable"));
        assertEquals("", tools.messages().get(2).content());
        assertEquals("", tools.messages().get(2).toolCalls().get(1).argumentsJson());
        assertNull(tools.messages().get(1).producedBy());
        assertEquals("kenji", tools.messages().get(1).name());
        assertEquals(
                List.of("alpha", "nullable", "zeta", "言語"),
                List.copyOf(tools.metadata().keySet()));
        assertEquals(
                Instant.parse("1969-12-31T23:59:59.999999Z"),
                back.get(1).conversation().createdAt());
        assertEquals(300, back.get(2).conversation().messages().size());
    }

    @Test
    void reusedRootHoldsOnlyTheLatestBatch() {
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(ConversationArrowSchema.schema(List.of()), allocator)) {
            List<ConversationRow> first = TestConversations.generated(50, 1).stream()
                    .map(ConversationRow::of)
                    .toList();
            List<ConversationRow> second = TestConversations.generated(7, 2).stream()
                    .map(ConversationRow::of)
                    .toList();
            ConversationVectors.fill(root, first);
            ConversationVectors.fill(root, second);
            assertEquals(second, ConversationVectors.read(root));
        }
    }

    @Test
    void extraColumnsRoundTripWithNulls() {
        List<ExtraColumn> extras = List.of(
                ExtraColumn.utf8("split"),
                ExtraColumn.float64("quality_score"),
                ExtraColumn.int64("tokens"),
                ExtraColumn.bool("keep"));
        List<Conversation> conversations = TestConversations.rich();
        List<ConversationRow> rows = List.of(
                new ConversationRow(
                        conversations.get(0),
                        Map.of("split", "train", "quality_score", 0.75, "tokens", 123L, "keep", true)),
                new ConversationRow(conversations.get(1), Map.of("split", "", "keep", false)),
                ConversationRow.of(conversations.get(2)));
        assertEquals(rows, roundTrip(rows, extras));
    }

    @Test
    void badRowsAreRejectedNamingTheConversation() {
        Conversation nanos = new Conversation(
                "conv-nanos",
                "serve",
                Instant.parse("2026-01-01T00:00:00.000000001Z"),
                Instant.parse("2026-01-01T00:00:01Z"),
                List.of(Message.user("hi")),
                Map.of());
        assertEquals(
                Instant.parse("2026-01-01T00:00:00Z"),
                roundTrip(List.of(ConversationRow.of(nanos)), List.of())
                        .get(0)
                        .conversation()
                        .createdAt(),
                "conversations keep microseconds; finer digits are truncated when the record is made");

        Conversation ok = TestConversations.rich().get(1);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> roundTrip(
                        List.of(new ConversationRow(ok, Map.of("split", 3L))), List.of(ExtraColumn.utf8("split"))));
        assertTrue(e.getMessage().contains("conv-plain") && e.getMessage().contains("split"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> roundTrip(List.of(new ConversationRow(ok, Map.of("unknown", "x"))), List.of()));
        assertTrue(e.getMessage().contains("undeclared extra column 'unknown'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExtraColumn.utf8("messages"));
        assertThrows(IllegalArgumentException.class, () -> ExtraColumn.utf8("Bad-Name"));
    }

    @Test
    void allocatorCloseDetectsLeaks() {
        // The tests rely on RootAllocator.close() failing on leaked buffers; prove that it does.
        BufferAllocator allocator = new RootAllocator();
        ArrowBuf leaked = allocator.buffer(64);
        IllegalStateException e = assertThrows(IllegalStateException.class, allocator::close);
        assertTrue(e.getMessage().contains("Memory leaked"), e.getMessage());
        assertEquals(64, leaked.capacity());
    }
}
