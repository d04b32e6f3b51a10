package dev.tanrenai.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class ConversationCoderTest {

    static Conversation rich() {
        Instant created = Instant.parse("1969-07-20T20:17:40.123456Z");
        return new Conversation(
                "c-\u00e9\u4e2d",
                "import:openai:chats.jsonl",
                created,
                Instant.parse("2026-11-23T00:00:00.000001Z"),
                List.of(
                        Message.system("rules"),
                        Message.user("weather in Paris? \ud83c\udf27"),
                        new Message(
                                Role.ASSISTANT,
                                "",
                                List.of(new ToolCall("call-1", "weather", "{\"city\":\"Paris\"}")),
                                null,
                                "bot",
                                "model-1"),
                        Message.tool("call-1", "rain"),
                        Message.assistant("It rains.")),
                Map.of("feedback.score", "1", "lang", "en"));
    }

    @Test
    void roundTripsEveryFieldExactly() throws Exception {
        Conversation c = rich();
        CoderProperties.coderDecodeEncodeEqual(ConversationCoder.of(), c);
        CoderProperties.coderDeterministic(ConversationCoder.of(), c, rich());
        CoderProperties.coderDecodeEncodeEqual(
                ConversationCoder.of(),
                new Conversation("x", "s", Instant.EPOCH, Instant.EPOCH, List.of(Message.user("")), null));
    }

    @Test
    void isTheRegisteredCoderOfConversation() throws Exception {
        Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
        assertSame(ConversationCoder.of(), p.getCoderRegistry().getCoder(Conversation.class));
    }

    @Test
    void isMuchSmallerThanTheJsonEnvelope() throws Exception {
        byte[] bytes = org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(ConversationCoder.of(), rich());
        int json = dev.tanrenai.datasets.format.Envelope.of(rich(), "store:1")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                .length;
        assertTrue(bytes.length * 2 < json, bytes.length + " bytes vs " + json + " as JSON");
        assertEquals(rich(), org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(ConversationCoder.of(), bytes));
    }
}
