package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 clients at once, streaming and not: every answer is the one its request gets alone (greedy), every
 * stream is one chunk id and one text, and every answered conversation is in the store with that answer.
 */
class ConcurrentClientsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 8;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyAnswerBelongsToItsRequestAndEveryConversationIsLogged() throws Exception {
        try (ServeFixture fx = new ServeFixture(
                dir, ServeConfig.defaults().withPort(0).withKeys(Set.of(), "admin"), ChallengerGuard.defaults())) {
            List<String> alone = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                alone.add(answer(fx, c, -1, false)[1]);
            }
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<List<String[]>>> futures = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    Callable<List<String[]>> task = () -> {
                        List<String[]> answers = new ArrayList<>();
                        for (int r = 0; r < ROUNDS; r++) {
                            answers.add(answer(fx, client, r, (client + r) % 2 == 0));
                        }
                        return answers;
                    };
                    futures.add(pool.submit(task));
                }
                for (int c = 0; c < CLIENTS; c++) {
                    for (String[] a : futures.get(c).get(5, TimeUnit.MINUTES)) {
                        assertEquals(alone.get(c), a[1], "client " + c + " got another request's answer");
                        Conversation stored = fx.store
                                .get(a[0])
                                .orElseThrow(() -> new AssertionError(
                                        "conversation " + a[0] + " was answered but is not in the store"));
                        assertEquals(Role.ASSISTANT, stored.messages().get(1).role());
                        assertEquals(alone.get(c), stored.messages().get(1).content(), a[0]);
                        assertEquals(prompt(c), stored.messages().get(0).content(), a[0]);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(CLIENTS + (long) CLIENTS * ROUNDS, fx.store.stats().conversations());
        }
    }

    private static String prompt(int client) {
        return "client " + client + " asks about the number " + (client * 7);
    }

    /** {conversation id, answer text}; a stream's chunks must all carry one id. */
    private String[] answer(ServeFixture fx, int client, int round, boolean stream) throws Exception {
        String conversation = "c" + client + "-r" + round;
        String body = JSON.createObjectNode()
                .put("max_tokens", 24)
                .put("temperature", 0)
                .put("seed", 7)
                .put("stream", stream)
                .set(
                        "messages",
                        JSON.createArrayNode()
                                .add(JSON.createObjectNode().put("role", "user").put("content", prompt(client))))
                .toString();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(fx.url() + "/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .header("X-Conversation-Id", conversation)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        if (!stream) {
            assertEquals(
                    conversation, r.headers().firstValue("X-Conversation-Id").orElse(null));
            return new String[] {
                conversation,
                JSON.readTree(r.body()).at("/choices/0/message/content").asText()
            };
        }
        StringBuilder text = new StringBuilder();
        String id = null;
        for (String block : r.body().split("\n\n")) {
            String data = block.substring("data: ".length());
            if (data.equals("[DONE]")) {
                break;
            }
            JsonNode chunk = JSON.readTree(data);
            if (chunk.has("error")) {
                throw new AssertionError("stream of " + conversation + " failed: " + data);
            }
            if (id == null) {
                id = chunk.get("id").asText();
            }
            assertEquals(id, chunk.get("id").asText(), "the stream of " + conversation + " mixes chunks of two");
            JsonNode content = chunk.at("/choices/0/delta/content");
            if (content.isTextual()) {
                text.append(content.asText());
            }
        }
        assertTrue(id != null, r.body());
        return new String[] {conversation, text.toString()};
    }
}
