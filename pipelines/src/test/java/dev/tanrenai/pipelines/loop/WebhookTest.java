package dev.tanrenai.pipelines.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook against a real local HTTP server. */
class WebhookTest {

    private HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", exchange -> {
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            received.add(new ObjectMapper().readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/broken", exchange -> {
            byte[] body = "no such channel".getBytes();
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void postsJsonWithATextFieldSlackStyle() {
        new Webhook(url("/ok")).send(Webhook.Event.FAILED, "n-1", "Tanrenai nightly run n-1 failed: stage train: boom");
        assertEquals(1, received.size());
        assertEquals(
                "Tanrenai nightly run n-1 failed: stage train: boom",
                received.get(0).at("/text").asText());
        assertEquals("failed", received.get(0).at("/event").asText());
        assertEquals("n-1", received.get(0).at("/run").asText());
        assertEquals("application/json", contentTypes.get(0));
    }

    @Test
    void anErrorAnswerIsAnErrorNamingTheUrlAndStatus() {
        Webhook.WebhookException e = assertThrows(Webhook.WebhookException.class, () -> new Webhook(url("/broken"))
                .send(Webhook.Event.PROMOTED, "n-2", "x"));
        assertTrue(e.getMessage().contains(url("/broken")) && e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains("no such channel"), e.getMessage());
    }

    @Test
    void anUnreachableReceiverIsAnErrorNamingTheUrl() {
        String dead = url("/ok");
        server.stop(0);
        Webhook.WebhookException e = assertThrows(
                Webhook.WebhookException.class, () -> new Webhook(dead).send(Webhook.Event.REFUSED, "n-3", "x"));
        assertTrue(
                e.getMessage().contains("cannot be reached") && e.getMessage().contains(dead), e.getMessage());
    }
}
