package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tanrenai.datasets.Conversation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint end to end on tiny generated models: wire format, logging, feedback, auth, errors. */
class ServeIT {

    static final String KEY = "client-key";
    static final String ADMIN = "admin-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    ServeFixture fx;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        ServeConfig config =
                ServeConfig.defaults().withPort(0).withKeys(Set.of(KEY), ADMIN).withChallengerShare(0.5);
        fx = new ServeFixture(dir, config, ChallengerGuard.defaults());
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String chat(String user, String content, boolean stream) {
        return "{\"model\":\"tanrenai\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}],"
                + "\"temperature\":0,\"max_tokens\":12,\"seed\":1,\"user\":\"" + user + "\",\"stream\":" + stream
                + ",\"stream_options\":{\"include_usage\":true}}";
    }

    @Test
    void theOfficialOpenAiClientChatsStreamsAndListsModels() {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(fx.url() + "/v1")
                .apiKey(KEY)
                .build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("tanrenai")
                .addUserMessage("How do I sharpen a chisel?")
                .temperature(0.0)
                .maxCompletionTokens(10)
                .seed(5)
                .user("alice")
                .build();
        ChatCompletion completion = client.chat().completions().create(params);
        String text = completion.choices().get(0).message().content().orElseThrow();
        assertFalse(text.isEmpty());
        long completionTokens = completion.usage().orElseThrow().completionTokens();
        assertTrue(completionTokens > 0 && completionTokens <= 10, "usage: " + completion.usage());

        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices()
                    .forEach(c -> c.delta().content().ifPresent(streamed::append)));
        }
        assertEquals(text, streamed.toString(), "streaming gives the same greedy text for the same user");

        List<String> models = new ArrayList<>();
        client.models().list().data().forEach(m -> models.add(m.id()));
        assertTrue(
                models.containsAll(List.of("tanrenai", "champion", "challenger", fx.baseId, fx.adapterId)),
                models.toString());
    }

    @Test
    void serverSentEventsFollowOpenAisChunkFormat() throws Exception {
        HttpResponse<String> r =
                post("/v1/chat/completions", chat("bob", "hello", true), "Authorization", "Bearer " + KEY);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        for (String block : r.body().split("\n\n")) {
            assertTrue(block.startsWith("data: "), "every event is a data line: " + block);
            events.add(block.substring(6));
        }
        assertEquals("[DONE]", events.get(events.size() - 1));
        JsonNode first = JSON.readTree(events.get(0));
        assertEquals("chat.completion.chunk", first.get("object").asText());
        assertEquals("assistant", first.at("/choices/0/delta/role").asText());
        assertTrue(Set.of(fx.baseId, fx.adapterId).contains(first.get("model").asText()), first.toString());
        JsonNode finish = JSON.readTree(events.get(events.size() - 3));
        assertTrue(
                Set.of("stop", "length")
                        .contains(finish.at("/choices/0/finish_reason").asText()),
                finish.toString());
        JsonNode usage = JSON.readTree(events.get(events.size() - 2));
        assertEquals(0, usage.get("choices").size());
        assertTrue(usage.at("/usage/total_tokens").asInt()
                > usage.at("/usage/prompt_tokens").asInt());
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(1, events.size() - 3)) {
            JsonNode chunk = JSON.readTree(e);
            assertEquals(first.get("id"), chunk.get("id"), "one id for the whole stream");
            assertEquals(first.get("model"), chunk.get("model"), "one model for the whole stream");
            text.append(chunk.at("/choices/0/delta/content").asText());
        }
        HttpResponse<String> plain =
                post("/v1/chat/completions", chat("bob", "hello", false), "Authorization", "Bearer " + KEY);
        assertEquals(
                JSON.readTree(plain.body()).at("/choices/0/message/content").asText(), text.toString());
    }

    @Test
    void aUserNamedOnlyByTheHeaderIsLoggedAsTheTurnsUser() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"header user\"}],"
                + "\"temperature\":0,\"max_tokens\":4}";
        HttpResponse<String> r =
                post("/v1/chat/completions", body, "Authorization", "Bearer " + KEY, "X-Tanrenai-User", "dana");
        assertEquals(200, r.statusCode(), r.body());
        Conversation stored = fx.store
                .get(r.headers().firstValue("X-Conversation-Id").orElseThrow())
                .orElseThrow();
        // A/B outcomes count users by this field: without it, a header-identified user counted once per
        // conversation
        assertEquals("dana", stored.metadata().get("turn.1.user"));
    }

    @Test
    void conversationsAreLoggedOnceWithNewTurnsAppendedAndFeedbackStored() throws Exception {
        HttpResponse<String> first =
                post("/v1/chat/completions", chat("carol", "first question", false), "Authorization", "Bearer " + KEY);
        assertEquals(200, first.statusCode(), first.body());
        String id = first.headers().firstValue("X-Conversation-Id").orElseThrow();
        String arm = first.headers().firstValue("X-Tanrenai-Arm").orElseThrow();
        String reply =
                JSON.readTree(first.body()).at("/choices/0/message/content").asText();
        String second = "{\"messages\":[{\"role\":\"user\",\"content\":\"first question\"},"
                + "{\"role\":\"assistant\",\"content\":" + JSON.writeValueAsString(reply) + "},"
                + "{\"role\":\"user\",\"content\":\"and then?\"}],\"temperature\":0,\"max_tokens\":8,\"user\":\"carol\"}";
        HttpResponse<String> r2 = post("/v1/chat/completions", second, "Authorization", "Bearer " + KEY);
        assertEquals(200, r2.statusCode(), r2.body());
        assertEquals(id, r2.headers().firstValue("X-Conversation-Id").orElseThrow(), "the same conversation");
        assertEquals(arm, r2.headers().firstValue("X-Tanrenai-Arm").orElseThrow(), "the user stays on one arm");
        post("/v1/chat/completions", second, "Authorization", "Bearer " + KEY); // a retry changes nothing

        Conversation stored = fx.store.get(id).orElseThrow();
        assertEquals(4, stored.messages().size(), "stored once, new turns appended: " + stored.messages());
        assertEquals(arm, stored.metadata().get("turn.1.arm"));
        assertEquals(arm, stored.metadata().get("turn.3.arm"));
        String expectedModel = arm.equals("champion") ? fx.baseId : fx.adapterId;
        assertEquals(expectedModel, stored.metadata().get("turn.3.model"));
        assertEquals(expectedModel, stored.messages().get(3).producedBy());
        assertTrue(Integer.parseInt(stored.metadata().get("turn.3.completion_tokens")) > 0);
        assertEquals(1, fx.store.stats().conversations());

        HttpResponse<String> fb = post(
                "/v1/feedback",
                "{\"conversation_id\":\"" + id + "\",\"message_index\":3,\"rating\":\"up\",\"comment\":\"good\"}",
                "Authorization",
                "Bearer " + KEY);
        assertEquals(200, fb.statusCode(), fb.body());
        assertEquals(1, fx.store.feedbackSince(0, 10).size());
        HttpResponse<String> unknown =
                post("/v1/feedback", "{\"conversation_id\":\"nope\",\"rating\":1}", "Authorization", "Bearer " + KEY);
        assertEquals(404, unknown.statusCode(), unknown.body());
    }

    @Test
    void authAndMalformedRequestsGetOpenAiErrors() throws Exception {
        assertError(post("/v1/chat/completions", chat("d", "x", false)), 401, "invalid_api_key");
        assertError(
                post("/v1/chat/completions", chat("d", "x", false), "Authorization", "Bearer wrong"),
                401,
                "invalid_api_key");
        assertError(
                post("/admin/split", "{\"challenger_share\":0.1}", "Authorization", "Bearer " + KEY),
                401,
                "invalid_admin_key");
        assertError(post("/v1/chat/completions", "{not json", "Authorization", "Bearer " + KEY), 400, "invalid_value");
        assertError(
                post(
                        "/v1/chat/completions",
                        "{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}",
                        "Authorization",
                        "Bearer " + KEY),
                400,
                "invalid_value");
        assertError(
                post(
                        "/v1/chat/completions",
                        chat("d", "x", false).replace("tanrenai", "gpt-9"),
                        "Authorization",
                        "Bearer " + KEY),
                404,
                "model_not_found");
        assertError(
                post("/v1/chat/completions", chat("d", "x".repeat(2_000_000), false), "Authorization", "Bearer " + KEY),
                413,
                "request_too_large");
        assertError(
                post("/v1/chat/completions", chat("d", "word ".repeat(3000), false), "Authorization", "Bearer " + KEY),
                400,
                "context_length_exceeded");
        assertError(
                post(
                        "/v1/chat/completions",
                        chat("d", "x", false),
                        "Authorization",
                        "Bearer " + KEY,
                        "X-Tanrenai-Arm",
                        "challenger"),
                401,
                "invalid_admin_key");
        assertError(post("/v1/nothing", "{}", "Authorization", "Bearer " + KEY), 404, "not_found");
        assertError(
                post(
                        "/v1/chat/completions",
                        chat("d", "x", false).replace("\"stream\"", "\"tools\":[1],\"stream\""),
                        "Authorization",
                        "Bearer " + KEY),
                400,
                "invalid_value");
        HttpResponse<String> tools = post(
                "/v1/chat/completions",
                chat("d", "weather?", false)
                        .replace(
                                "\"stream\"",
                                "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}],\"stream\""),
                "Authorization",
                "Bearer " + KEY);
        assertEquals(200, tools.statusCode(), "a tool without parameters is fine (and never reaches llama.cpp raw)");
    }

    @Test
    void anAdminCanPinAnArmAndTheArmsDiffer() throws Exception {
        String body = chat("erin", "the smith", false);
        JsonNode champion = JSON.readTree(post(
                        "/v1/chat/completions",
                        body,
                        "Authorization",
                        "Bearer " + KEY,
                        "X-Tanrenai-Arm",
                        "champion",
                        "X-Admin-Key",
                        ADMIN)
                .body());
        JsonNode challenger = JSON.readTree(post(
                        "/v1/chat/completions",
                        body,
                        "Authorization",
                        "Bearer " + KEY,
                        "X-Tanrenai-Arm",
                        "challenger",
                        "X-Admin-Key",
                        ADMIN)
                .body());
        assertEquals(fx.baseId, champion.get("model").asText());
        assertEquals(fx.adapterId, challenger.get("model").asText());
        assertNotEquals(
                champion.at("/choices/0/message/content"),
                challenger.at("/choices/0/message/content"),
                "the adapter changes the reply");
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(URI.create(fx.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().contains("tanrenai_arm_requests_total{arm=\"challenger\"} 1"), metrics.body());
        assertTrue(metrics.body().contains("tanrenai_generation_seconds_bucket{arm=\"champion\",le=\"+Inf\"} 1"));
        assertTrue(
                metrics.body()
                        .contains("tanrenai_http_requests_total{route=\"/v1/chat/completions\",status=\"200\"} 2"),
                metrics.body());
    }

    @Test
    void textCompletionsAndShadowMode() throws Exception {
        HttpResponse<String> text = post(
                "/v1/completions",
                "{\"prompt\":\"Once upon a time\",\"max_tokens\":5,\"temperature\":0}",
                "Authorization",
                "Bearer " + KEY);
        assertEquals(200, text.statusCode(), text.body());
        JsonNode completion = JSON.readTree(text.body());
        assertEquals("text_completion", completion.get("object").asText());
        int tokens = completion.at("/usage/completion_tokens").asInt();
        String finish = completion.at("/choices/0/finish_reason").asText();
        assertTrue(finish.equals("length") ? tokens == 5 : finish.equals("stop") && tokens <= 5, completion.toString());
        assertFalse(completion.at("/choices/0/text").asText().isEmpty());

        HttpResponse<String> on =
                post("/admin/split", "{\"challenger_share\":0,\"shadow\":true}", "X-Admin-Key", ADMIN);
        assertEquals(200, on.statusCode(), on.body());
        HttpResponse<String> served =
                post("/v1/chat/completions", chat("frank", "shadow me", false), "Authorization", "Bearer " + KEY);
        assertEquals("champion", served.headers().firstValue("X-Tanrenai-Arm").orElseThrow());
        String id = served.headers().firstValue("X-Conversation-Id").orElseThrow();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (fx.store.get(id + "-shadow").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Conversation shadow = fx.store.get(id + "-shadow").orElseThrow();
        assertEquals(ChatService.SHADOW_SOURCE, shadow.source());
        assertEquals(fx.adapterId, shadow.messages().get(1).producedBy(), "the challenger answered the copy");
        assertEquals(
                fx.baseId, fx.store.get(id).orElseThrow().messages().get(1).producedBy(), "the user saw the champion");
    }

    static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertEquals(code, error.get("code").asText(), r.body());
        assertFalse(error.get("message").asText().isEmpty());
        assertTrue(error.has("type") && error.has("param"));
    }
}
