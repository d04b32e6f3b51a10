package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.serve.RawHttp.Answer;
import dev.tanrenai.serve.RawHttp.Step;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint against hostile and clumsy clients over raw sockets: the body limit for every
 * transfer encoding, prompt 4xx answers for broken or stalled bodies, the admin events, client
 * mistakes that must not roll the challenger back, and a shutdown that answers what it took in.
 */
class ServeHardeningIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(25);
    /** The default body timeout is 10 s; a stalled body must be answered well before Jetty's 30 s. */
    private static final long PROMPT_MILLIS = 15_000;

    static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":2}";

    @TempDir
    Path dir;

    private static ServeConfig config() {
        return ServeConfig.defaults().withPort(0).withKeys(Set.of(), "admin");
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWhileBeingRead() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            // a valid request whose content is 4 MiB, sent chunked: no Content-Length announces it
            List<Step> steps = new ArrayList<>();
            steps.add(Step.of(RawHttp.request(
                    "POST",
                    "/v1/chat/completions",
                    "",
                    "Content-Type: application/json",
                    "Transfer-Encoding: chunked")));
            steps.add(chunk("{\"messages\":[{\"role\":\"user\",\"content\":\""));
            String piece = "a".repeat(64 * 1024);
            for (int i = 0; i < 64; i++) {
                steps.add(chunk(piece));
            }
            steps.add(chunk("\"}]}"));
            steps.add(Step.of("0\r\n\r\n"));
            Answer answer = RawHttp.exchange(fx.server.port(), PATIENCE, steps);
            assertEquals(413, answer.status(), answer.toString());
            assertTrue(answer.body().contains("request_too_large"), answer.body());
            assertHealthy(fx);
        }
    }

    @Test
    void malformedJsonIsA400() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            for (String body : List.of(
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_t",
                    "{\"messages\":[...],\"max_t",
                    "[".repeat(5000), // deeper than Jackson's nesting limit: an error without a location
                    "{\"max_tokens\":" + "9".repeat(5000) + "}", // a number longer than Jackson's limit
                    CHAT + " {}")) { // trailing content
                Answer answer =
                        RawHttp.exchange(fx.server.port(), PATIENCE, RawHttp.post("/v1/chat/completions", body));
                assertEquals(400, answer.status(), body + ": " + answer);
                assertTrue(answer.body().contains("not valid JSON"), answer.body());
            }
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthGetsA408Promptly() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            String head = RawHttp.request(
                    "POST",
                    "/v1/chat/completions",
                    "",
                    "Content-Type: application/json",
                    "Content-Length: " + (CHAT.length() + 100));
            Answer answer = RawHttp.exchange(
                    fx.server.port(), PATIENCE, List.of(Step.of(head + CHAT), Step.pause(PATIENCE.toMillis())));
            assertEquals(408, answer.status(), answer.toString());
            assertTrue(answer.millis() < PROMPT_MILLIS, answer.toString());
            assertHealthy(fx);
        }
    }

    @Test
    void aStalledChunkedBodyGetsA408Promptly() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            String head = RawHttp.request(
                    "POST", "/v1/chat/completions", "", "Content-Type: application/json", "Transfer-Encoding: chunked");
            Answer answer = RawHttp.exchange(
                    fx.server.port(),
                    PATIENCE,
                    List.of(Step.of(head), chunk(CHAT.substring(0, 10)), Step.pause(PATIENCE.toMillis())));
            assertEquals(408, answer.status(), answer.toString());
            assertTrue(answer.millis() < PROMPT_MILLIS, answer.toString());
            assertHealthy(fx);
        }
    }

    @Test
    void aBadChunkSizeIsA400() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            String head = RawHttp.request(
                    "POST", "/v1/chat/completions", "", "Content-Type: application/json", "Transfer-Encoding: chunked");
            for (String bad : List.of("zz\r\n{}\r\n0\r\n\r\n", "ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n")) {
                Answer answer = RawHttp.exchange(
                        fx.server.port(),
                        PATIENCE,
                        List.of(Step.of(head), chunk(CHAT.substring(0, 10)), Step.pause(200), Step.of(bad)));
                assertEquals(400, answer.status(), bad + ": " + answer);
                assertTrue(answer.millis() < PROMPT_MILLIS, answer.toString());
            }
            assertHealthy(fx);
        }
    }

    @Test
    void theAdminEventsAreListedForTheAdmin() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            fx.server.state().setChallengerShare(0.25, "a test");
            Answer answer = RawHttp.exchange(
                    fx.server.port(), PATIENCE, RawHttp.request("GET", "/admin/events", "", "X-Admin-Key: admin"));
            assertEquals(200, answer.status(), answer.toString());
            JsonNode events = JSON.readTree(answer.body());
            JsonNode last = events.get(events.size() - 1);
            assertEquals("split", last.get("kind").asText());
            assertTrue(last.get("reason").asText().contains("0.25"), last.toString());
            assertTrue(last.get("at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), last.toString());
            Answer anonymous =
                    RawHttp.exchange(fx.server.port(), PATIENCE, RawHttp.request("GET", "/admin/events", ""));
            assertEquals(401, anonymous.status(), anonymous.toString());
        }
    }

    @Test
    void aClientsOwnOverLongPromptsDoNotRollTheChallengerBack() throws Exception {
        ChallengerGuard strict = new ChallengerGuard(4, 2, 0.4, 1e9);
        ServeConfig config = config().withChallengerShare(1.0).withLimits(1 << 20, 16, 8);
        try (ServeFixture fx = new ServeFixture(dir, config, strict)) {
            String longPrompt = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "tell me more ".repeat(40)
                    + "\"}],\"max_tokens\":2,\"user\":\"mallory\"}";
            for (int i = 0; i < 6; i++) {
                Answer answer =
                        RawHttp.exchange(fx.server.port(), PATIENCE, RawHttp.post("/v1/chat/completions", longPrompt));
                assertEquals(400, answer.status(), answer.toString());
                assertTrue(answer.body().contains("context_length_exceeded"), answer.body());
            }
            assertEquals(
                    1.0,
                    fx.server.state().challengerShare(),
                    fx.server.state().events().toString());
            assertFalse(
                    fx.server.state().events().stream().anyMatch(e -> e.kind().equals("rollback")),
                    fx.server.state().events().toString());
        }
    }

    @Test
    void closingAnswersARequestWhoseBodyIsStillArriving() throws Exception {
        ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults());
        String head = RawHttp.request(
                "POST",
                "/v1/chat/completions",
                "",
                "Content-Type: application/json",
                "Content-Length: " + CHAT.length());
        CompletableFuture<Answer> slow = CompletableFuture.supplyAsync(() -> RawHttp.exchange(
                fx.server.port(),
                PATIENCE,
                List.of(Step.of(head + CHAT.substring(0, 20)), Step.pause(1500), Step.of(CHAT.substring(20)))));
        Thread.sleep(500); // the request is in: its headers and part of its body arrived
        CompletableFuture<Void> closed = CompletableFuture.runAsync(fx::close);
        Answer answer = slow.get();
        closed.get();
        assertTrue(answer.status() == 200 || answer.status() == 503, answer.toString());
    }

    static Step chunk(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Step.of(Integer.toHexString(bytes.length) + "\r\n" + text + "\r\n");
    }

    static void assertHealthy(ServeFixture fx) {
        Answer health = RawHttp.exchange(fx.server.port(), PATIENCE, RawHttp.request("GET", "/health", ""));
        assertEquals(200, health.status(), health.toString());
        Answer chat = RawHttp.exchange(fx.server.port(), PATIENCE, RawHttp.post("/v1/chat/completions", CHAT));
        assertEquals(200, chat.status(), chat.toString());
    }
}
