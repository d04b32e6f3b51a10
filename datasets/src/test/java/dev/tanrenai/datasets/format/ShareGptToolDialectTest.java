package dev.tanrenai.datasets.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ShareGPT's tool dialect: function_call and observation turns, a tools field, generated call ids. */
class ShareGptToolDialectTest {

    static final Path GLAIVE = Path.of("../../shared/conversations/llamafactory/glaive_toolcall_en_demo.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private final ShareGptCodec codec = new ShareGptCodec(100_000);

    @Test
    void callsAndObservationsBecomePairedToolTurnsWithDeterministicIds() throws Exception {
        String record = "{\"conversations\":["
                + "{\"from\":\"human\",\"value\":\"weather in Oslo and Rome?\"},"
                + "{\"from\":\"function_call\",\"value\":\"[{\\\"name\\\":\\\"weather\\\",\\\"arguments\\\":{\\\"city\\\":\\\"Oslo\\\"}},"
                + "{\\\"name\\\":\\\"weather\\\",\\\"arguments\\\":\\\"{\\\\\\\"city\\\\\\\":\\\\\\\"Rome\\\\\\\"}\\\"}]\"},"
                + "{\"from\":\"observation\",\"value\":\"-3 C\"},"
                + "{\"from\":\"observation\",\"value\":\"18 C\"},"
                + "{\"from\":\"gpt\",\"value\":\"Oslo -3 C, Rome 18 C.\"},"
                + "{\"from\":\"human\",\"value\":\"and Paris?\"},"
                + "{\"from\":\"function_call\",\"value\":\"{\\\"name\\\":\\\"weather\\\",\\\"arguments\\\":{\\\"city\\\":\\\"Paris\\\"}}\"},"
                + "{\"from\":\"observation\",\"value\":\"9 C\"},"
                + "{\"from\":\"gpt\",\"value\":\"9 C in Paris.\"}],"
                + "\"tools\":\"[{\\\"name\\\":\\\"weather\\\",\\\"description\\\":\\\"current weather\\\"}]\"}";
        Conversation c = codec.read(JSON.readTree(record), "sg", NOW);
        assertEquals(
                List.of(
                        Message.user("weather in Oslo and Rome?"),
                        new Message(
                                Role.ASSISTANT,
                                "",
                                List.of(
                                        new ToolCall("call_1_1", "weather", "{\"city\":\"Oslo\"}"),
                                        new ToolCall("call_1_2", "weather", "{\"city\":\"Rome\"}")),
                                null,
                                null,
                                null),
                        Message.tool("call_1_1", "-3 C"),
                        Message.tool("call_1_2", "18 C"),
                        Message.assistant("Oslo -3 C, Rome 18 C."),
                        Message.user("and Paris?"),
                        new Message(
                                Role.ASSISTANT,
                                "",
                                List.of(new ToolCall("call_6", "weather", "{\"city\":\"Paris\"}")),
                                null,
                                null,
                                null),
                        Message.tool("call_6", "9 C"),
                        Message.assistant("9 C in Paris.")),
                c.messages());
        assertEquals(
                "[{\"name\":\"weather\",\"description\":\"current weather\"}]",
                c.metadata().get("tools"));
        assertEquals(c, codec.read(JSON.readTree(record), "sg", NOW), "the same record gets the same ids");
    }

    @Test
    void badToolTurnsAreRefusedNamingTheTurn() {
        ConversationFormatException orphan = assertThrows(
                ConversationFormatException.class,
                () -> codec.read(
                        JSON.readTree("{\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},"
                                + "{\"from\":\"observation\",\"value\":\"42\"}]}"),
                        "sg",
                        NOW));
        assertTrue(
                orphan.getMessage().contains("conversations[1]")
                        && orphan.getMessage().contains("no unanswered call"),
                orphan.getMessage());
        ConversationFormatException notJson = assertThrows(
                ConversationFormatException.class,
                () -> codec.read(
                        JSON.readTree("{\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},"
                                + "{\"from\":\"function_call\",\"value\":\"search(cats)\"}]}"),
                        "sg",
                        NOW));
        assertTrue(
                notJson.getMessage().contains("conversations[1].value")
                        && notJson.getMessage().contains("search(cats)"),
                notJson.getMessage());
        ConversationFormatException noName = assertThrows(
                ConversationFormatException.class,
                () -> codec.read(
                        JSON.readTree("{\"conversations\":[{\"from\":\"human\",\"value\":\"q\"},"
                                + "{\"from\":\"function_call\",\"value\":\"{\\\"arguments\\\":{}}\"}]}"),
                        "sg",
                        NOW));
        assertTrue(noName.getMessage().contains("conversations[1].value.name"), noName.getMessage());
        ConversationFormatException tools = assertThrows(
                ConversationFormatException.class,
                () -> codec.read(
                        JSON.readTree(
                                "{\"conversations\":[{\"from\":\"human\",\"value\":\"q\"}],\"tools\":\"not json\"}"),
                        "sg",
                        NOW));
        assertTrue(tools.getMessage().contains("tools"), tools.getMessage());
    }

    @Test
    void theGlaiveToolCallDemoReadsWithEveryCallAnswered() throws Exception {
        assumeTrue(Files.isRegularFile(GLAIVE), GLAIVE + " is not present: the Glaive tool-call demo is not checked");
        JsonNode records = JSON.readTree(GLAIVE.toFile());
        assertEquals(300, records.size());
        int calls = 0;
        int results = 0;
        int withTools = 0;
        for (int r = 0; r < records.size(); r++) {
            Conversation c = codec.read(records.get(r), "glaive", NOW);
            withTools += c.metadata().containsKey("tools") ? 1 : 0;
            Deque<String> open = new ArrayDeque<>();
            for (Message m : c.messages()) {
                m.toolCalls().forEach(call -> open.addLast(call.id()));
                calls += m.toolCalls().size();
                if (m.role() == Role.TOOL) {
                    assertEquals(open.pollFirst(), m.toolCallId(), "record " + r + ": each result answers its call");
                    results++;
                }
            }
            assertTrue(open.isEmpty(), "record " + r + ": unanswered calls " + open);
        }
        assertEquals(211, calls);
        assertEquals(211, results);
        assertEquals(300, withTools);
    }
}
