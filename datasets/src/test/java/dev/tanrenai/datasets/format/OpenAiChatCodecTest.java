package dev.tanrenai.datasets.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiChatCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private final OpenAiChatCodec codec = new OpenAiChatCodec(1000);

    private Conversation read(String json) throws Exception {
        return codec.read(JSON.readTree(json), "test", NOW);
    }

    private ConversationFormatException reject(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        return assertThrows(ConversationFormatException.class, () -> codec.read(node, "test", NOW));
    }

    @Test
    void readsEveryField() throws Exception {
        Conversation c = read("{\"id\":\"x1\",\"metadata\":{\"lang\":\"en\",\"n\":3,\"tags\":[\"a\"]},"
                + "\"created_at\":\"2026-01-02T03:04:05Z\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"name\":\"alice\",\"content\":[{\"type\":\"text\",\"text\":\"hello \"},"
                + "{\"type\":\"text\",\"text\":\"there\"}]},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":1}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"42\"},"
                + "{\"role\":\"assistant\",\"content\":\"It is 42.\"}]}");
        assertEquals("x1", c.id());
        assertEquals("test", c.source());
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), c.createdAt());
        assertEquals(Map.of("lang", "en", "n", "3", "tags", "[\"a\"]"), c.metadata());
        assertEquals(
                List.of(
                        Message.system("be brief"),
                        new Message(Role.USER, "hello there", List.of(), null, "alice", null),
                        new Message(
                                Role.ASSISTANT,
                                "",
                                List.of(new ToolCall("call_1", "lookup", "{\"q\":1}")),
                                null,
                                null,
                                null),
                        Message.tool("call_1", "42"),
                        Message.assistant("It is 42.")),
                c.messages());
    }

    @Test
    void writerRoundTrips() throws Exception {
        Conversation c = read("{\"id\":\"x2\",\"metadata\":{\"k\":\"v\"},\"messages\":["
                + "{\"role\":\"user\",\"content\":\"日本語 🍣\"},"
                + "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":{\"a\":[1,2]}}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"ok\"}]}");
        assertEquals(
                "{\"a\":[1,2]}",
                c.messages().get(1).toolCalls().get(0).argumentsJson(),
                "object arguments become text");
        Conversation again = codec.read(OpenAiChatCodec.write(c), "test", NOW);
        assertEquals(c, again);
    }

    @Test
    void missingIdsComeFromTheContent() throws Exception {
        Conversation a = read("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Conversation b = codec.read(
                JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "other", NOW.plusSeconds(5));
        Conversation c = read("{\"messages\":[{\"role\":\"user\",\"content\":\"hi!\"}]}");
        assertTrue(a.id().matches("c-[0-9a-f]{24}"), a.id());
        assertEquals(a.id(), b.id(), "source and time do not change the id");
        assertTrue(!a.id().equals(c.id()));
    }

    @Test
    void eachProblemNamesItsField() throws Exception {
        assertEquals(
                "messages[1].role: unknown role 'robot' (expected one of system, user, assistant, tool)",
                reject("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"robot\",\"content\":\"b\"}]}")
                        .getMessage());
        assertEquals(
                "messages: missing (an array is required)",
                reject("{\"conversations\":[]}").getMessage());
        assertEquals(
                "messages: is empty: a conversation needs at least one message",
                reject("{\"messages\":[]}").getMessage());
        assertEquals(
                "messages[0].content: expected a string or an array of text parts, got a number",
                reject("{\"messages\":[{\"role\":\"user\",\"content\":5}]}").getMessage());
        assertEquals(
                "messages[0].content: missing (only an assistant message with tool_calls may omit its content)",
                reject("{\"messages\":[{\"role\":\"user\"}]}").getMessage());
        assertEquals(
                "messages[0].role: missing (a string is required)",
                reject("{\"messages\":[{\"content\":\"x\"}]}").getMessage());
        assertEquals(
                "messages[1].tool_call_id: 'call_9' matches no earlier assistant tool call",
                reject("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                                + "{\"role\":\"tool\",\"tool_call_id\":\"call_9\",\"content\":\"b\"}]}")
                        .getMessage());
        assertEquals(
                "messages[0].tool_calls: only assistant messages have tool_calls, not user",
                reject("{\"messages\":[{\"role\":\"user\",\"content\":\"a\",\"tool_calls\":[]}]}")
                        .getMessage());
        ConversationFormatException image = reject("{\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]}");
        assertEquals(RejectKind.UNSUPPORTED_CONTENT, image.kind());
        assertEquals("messages[0].content[0].type", image.field());
        ConversationFormatException longMessage =
                reject("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(1001) + "\"}]}");
        assertEquals(RejectKind.MESSAGE_TOO_LONG, longMessage.kind());
        assertEquals("messages[0].content: 1001 characters, more than the limit of 1000", longMessage.getMessage());
        assertEquals("expected an object, got an array", reject("[1]").reason());
        assertEquals(
                "id: expected a non-empty string, got an empty string",
                reject("{\"id\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}")
                        .getMessage());
    }

    @Test
    void locationIsPrefixedByTheImporter() throws Exception {
        ConversationFormatException e = reject("{\"messages\":[{\"role\":\"robot\",\"content\":\"b\"}]}")
                .at("line 17");
        assertTrue(e.getMessage().startsWith("line 17, messages[0].role: unknown role 'robot'"), e.getMessage());
    }
}
