package dev.tanrenai.evaluate.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConversationSuiteTest {

    private static List<Conversation> conversations(int n) {
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        List<Conversation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Conversation(
                    "c" + i, "serve", t, t, List.of(Message.user("q" + i), Message.assistant("a" + i)), Map.of()));
        }
        return out;
    }

    @Test
    void aConversationTheBufferHoldsTwiceIsSampledOnce() {
        List<Conversation> buffer = new ArrayList<>(conversations(5));
        buffer.addAll(conversations(5)); // a second run offered the same conversations
        ConversationSuite replay = ConversationSuite.replay(buffer, 100, 1);
        assertEquals(
                List.of("c0", "c1", "c2", "c3", "c4"),
                replay.conversations().stream().map(Conversation::id).toList());
        assertEquals(5, replay.info().source().get("distinctConversations"));
    }

    @Test
    void theReplaySampleIsSeededAndItsContentHashFollowsIt() {
        List<Conversation> buffer = conversations(40);
        ConversationSuite a = ConversationSuite.replay(buffer, 10, 7);
        assertEquals(a.conversations(), ConversationSuite.replay(buffer, 10, 7).conversations());
        assertEquals(
                a.info().contentSha256(),
                ConversationSuite.replay(buffer, 10, 7).info().contentSha256());
        assertNotEquals(
                a.conversations(), ConversationSuite.replay(buffer, 10, 8).conversations());
        assertNotEquals(
                a.info().contentSha256(),
                ConversationSuite.replay(buffer, 10, 8).info().contentSha256());
    }

    @Test
    void anEmptyHeldOutSetIsAnErrorSayingWhy() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> ConversationSuite.heldout(List.of(), "file x", Map.of()));
        assertTrue(e.getMessage().contains("file x holds no conversation"), e.getMessage());
    }
}
