package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

    private static ChatRequest parse(String json) throws Exception {
        return ChatRequest.parse(new ObjectMapper().readTree(json), true, ServeConfig.defaults());
    }

    private static String error(String json) {
        OpenAiException e = assertThrows(OpenAiException.class, () -> parse(json));
        assertEquals(400, e.status());
        return e.body();
    }

    @Test
    void parsesTheOpenAiFields() throws Exception {
        ChatRequest r = parse("{\"model\":\"tanrenai\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],\"temperature\":0,"
                + "\"top_p\":0.9,\"max_tokens\":12,\"stop\":[\"\\n\"],\"seed\":7,\"user\":\"u1\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}");
        assertEquals(2, r.messages().size());
        assertEquals("hi", r.messages().get(1).content());
        assertEquals(0f, r.temperature());
        assertEquals(12, r.maxTokens());
        assertEquals(List.of("\n"), r.stop());
        assertEquals(7, r.seed());
        assertTrue(r.stream() && r.includeUsage());
    }

    @Test
    void malformedRequestsNameTheField() {
        assertTrue(error("[]").contains("JSON object"));
        assertTrue(error("{\"messages\":[]}").contains("\"param\":\"messages\""));
        assertTrue(
                error("{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}").contains("robot"));
        assertTrue(error("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":100000}")
                .contains("\"param\":\"max_tokens\""));
        assertTrue(error("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":3}")
                .contains("\"param\":\"temperature\""));
        assertTrue(error("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":2}")
                .contains("\"param\":\"n\""));
        assertTrue(error("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stop\":[\"\"]}")
                .contains("\"param\":\"stop\""));
    }

    @Test
    void generatedToolCallsAreParsed() {
        var calls = ChatService.toolCalls(
                "{\"tool_calls\":[{\"name\":\"weather\",\"arguments\":{\"city\":\"Oslo\"},\"id\":\"c1\"}]}");
        assertEquals(1, calls.size());
        assertEquals("weather", calls.get(0).name());
        assertEquals("{\"city\":\"Oslo\"}", calls.get(0).argumentsJson());
        assertTrue(ChatService.toolCalls("just text").isEmpty());
        assertTrue(
                ChatService.toolCalls("{\"tool_calls\":[{\"arguments\":{}}]}").isEmpty());
    }

    @Test
    void moreMessagesThanPromptTokensAreRefusedBeforeTheTokenizer() {
        int limit = ServeConfig.defaults().maxPromptTokens();
        String many = "{\"role\":\"user\",\"content\":\"m\"},".repeat(limit + 1);
        String body = error("{\"messages\":[" + many.substring(0, many.length() - 1) + "]}");
        assertTrue(body.contains("cannot hold more than " + limit + " messages"), body);
    }
}
