package dev.tanrenai.datasets.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShareGptCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private final ShareGptCodec codec = new ShareGptCodec(100);

    @Test
    void mapsSpeakersToRoles() throws Exception {
        Conversation c = codec.read(
                JSON.readTree(
                        "{\"id\":\"s1\",\"system\":\"sys\",\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},"
                                + "{\"from\":\"gpt\",\"value\":\"a\"},{\"from\":\"user\",\"value\":\"q2\"},"
                                + "{\"from\":\"assistant\",\"value\":\"a2\"}]}"),
                "sg",
                NOW);
        assertEquals("s1", c.id());
        assertEquals(
                List.of(
                        Message.system("sys"),
                        Message.user("q"),
                        Message.assistant("a"),
                        Message.user("q2"),
                        Message.assistant("a2")),
                c.messages());
    }

    @Test
    void sameContentSameIdAsTheOpenAiFormat() throws Exception {
        Conversation sg = codec.read(
                JSON.readTree(
                        "{\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},{\"from\":\"gpt\",\"value\":\"a\"}]}"),
                "sg",
                NOW);
        Conversation oa = new OpenAiChatCodec(100)
                .read(
                        JSON.readTree(
                                "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}"),
                        "oa",
                        NOW);
        assertEquals(oa.id(), sg.id());
    }

    @Test
    void writerRoundTripsAndRefusesTools() throws Exception {
        Conversation c = codec.read(
                JSON.readTree(
                        "{\"id\":\"w\",\"metadata\":{\"k\":\"v\"},\"conversations\":[{\"from\":\"system\",\"value\":\"s\"},"
                                + "{\"from\":\"human\",\"value\":\"q 🍣\"},{\"from\":\"gpt\",\"value\":\"a\"}]}"),
                "sg",
                NOW);
        assertEquals(c, codec.read(ShareGptCodec.write(c), "sg", NOW));
        Conversation tools =
                new Conversation("t", "x", NOW, NOW, List.of(Message.user("q"), Message.tool("k", "r")), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShareGptCodec.write(tools));
        assertTrue(e.getMessage().contains("message 1") && e.getMessage().contains("OpenAI format"), e.getMessage());
    }

    @Test
    void problemsNameTheField() throws Exception {
        ConversationFormatException unknown = assertThrows(
                ConversationFormatException.class,
                () -> codec.read(JSON.readTree("{\"conversations\":[{\"from\":\"bot\",\"value\":\"x\"}]}"), "sg", NOW));
        assertEquals(
                "conversations[0].from: unknown speaker 'bot' (expected human, gpt, system, function_call or observation;"
                        + " also user, assistant, tool)",
                unknown.getMessage());
        ConversationFormatException tool = assertThrows(
                ConversationFormatException.class,
                () -> codec.read(
                        JSON.readTree("{\"conversations\":[{\"from\":\"observation\",\"value\":\"x\"}]}"), "sg", NOW));
        assertTrue(tool.getMessage().contains("no unanswered call"), tool.getMessage());
        ConversationFormatException value = assertThrows(
                ConversationFormatException.class,
                () -> codec.read(JSON.readTree("{\"conversations\":[{\"from\":\"human\",\"value\":7}]}"), "sg", NOW));
        assertEquals("conversations[0].value: expected a string, got a number", value.getMessage());
    }
}
