package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that closes its connection mid-generation: the generation stops (streaming or not), the
 * request is counted as 499 (the client's doing), never as a 500 or as an error of the arm (which
 * would feed the automatic rollback).
 */
class ClientDisconnectIT {

    private static final String ROUTE = "/v1/chat/completions";
    private static final int MAX_TOKENS = 1024;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static String chat(boolean stream) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"tell me a long story\"}],\"max_tokens\":" + MAX_TOKENS
                + ",\"stream\":" + stream + "}";
    }

    @Test
    void aNonStreamingClientThatLeavesStopsItsGeneration() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            // how long the full generation takes here, for the record and to know the test can tell
            long started = System.nanoTime();
            HttpResponse<String> full = http.send(
                    HttpRequest.newBuilder(URI.create(fx.url() + ROUTE))
                            .POST(HttpRequest.BodyPublishers.ofString(chat(false)))
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            long fullMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(200, full.statusCode(), full.body());
            long tokensBefore = metric(fx, "tanrenai_generated_tokens_total{arm=\"champion\"}");
            assertTrue(fullMillis > 400, "a full generation takes " + fullMillis + " ms: too quick to see it stopped");

            try (Socket socket = new Socket("127.0.0.1", fx.server.port())) {
                socket.getOutputStream().write(RawHttp.post(ROUTE, chat(false)).getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                waitFor(() -> inFlight(fx) == 1, 5000, "the request to be admitted");
            }
            long closed = System.nanoTime();
            waitFor(() -> inFlight(fx) == 0, 10_000, "the generation to stop");
            long stopMillis = (System.nanoTime() - closed) / 1_000_000;
            waitFor(() -> count(fx, 499) == 1, 5000, "the request to be counted as 499");
            System.out.printf(
                    "full generation of %d tokens %d ms; stopped %d ms after the client left%n",
                    MAX_TOKENS, fullMillis, stopMillis);
            assertTrue(
                    stopMillis < fullMillis,
                    "stopped after " + stopMillis + " ms, a full generation is " + fullMillis + " ms");
            // no tokens served to nobody, no 500, no error against the arm
            assertEquals(tokensBefore, metric(fx, "tanrenai_generated_tokens_total{arm=\"champion\"}"));
            assertEquals(0, count(fx, 500));
            assertEquals(0, metric(fx, "tanrenai_arm_errors_total{arm=\"champion\"}"));
            assertEquals(1, metric(fx, "tanrenai_arm_requests_total{arm=\"champion\"}"));
        }
    }

    @Test
    void anOllamaClientThatLeavesWithoutStreamingStopsItsGeneration() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            String body = "{\"model\":\"tanrenai\",\"stream\":false,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"tell me a long story\"}],\"options\":{\"num_predict\":" + MAX_TOKENS + "}}";
            try (Socket socket = new Socket("127.0.0.1", fx.server.port())) {
                socket.getOutputStream().write(RawHttp.post("/api/chat", body).getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                waitFor(() -> inFlight(fx) == 1, 5000, "the request to be admitted");
            }
            long closed = System.nanoTime();
            waitFor(() -> inFlight(fx) == 0, 10_000, "the generation to stop");
            long stopMillis = (System.nanoTime() - closed) / 1_000_000;
            waitFor(
                    () -> metric(fx, "tanrenai_http_requests_total{route=\"/api/chat\",status=\"499\"}") == 1,
                    5000,
                    "the request to be counted as 499");
            assertTrue(stopMillis < 1000, "stopped " + stopMillis + " ms after the client left");
            assertEquals(0, metric(fx, "tanrenai_generated_tokens_total{arm=\"champion\"}"));
            assertEquals(0, metric(fx, "tanrenai_arm_errors_total{arm=\"champion\"}"));
        }
    }

    @Test
    void aStreamingClientThatLeavesIsCountedAsItsOwnDoing() throws Exception {
        try (ServeFixture fx = new ServeFixture(dir, config(), ChallengerGuard.defaults())) {
            try (Socket socket = new Socket("127.0.0.1", fx.server.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(RawHttp.post(ROUTE, chat(true)).getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = socket.getInputStream();
                StringBuilder seen = new StringBuilder();
                while (!seen.toString().contains("data: ")) {
                    int b = in.read();
                    assertTrue(b >= 0, "the stream ended before its first event: " + seen);
                    seen.append((char) b);
                }
            }
            waitFor(() -> inFlight(fx) == 0, 10_000, "the generation to stop");
            waitFor(() -> count(fx, 499) == 1, 5000, "the request to be counted as 499");
            assertEquals(0, count(fx, 500));
            assertEquals(0, metric(fx, "tanrenai_arm_errors_total{arm=\"champion\"}"));
            assertEquals(0, count(fx, 200));
        }
    }

    private static ServeConfig config() {
        return ServeConfig.defaults().withPort(0).withKeys(Set.of(), "admin");
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, long millis, String what) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.holds()) {
            assertTrue(System.nanoTime() < deadline, "waited " + millis + " ms for " + what);
            Thread.sleep(5);
        }
    }

    private static int inFlight(ServeFixture fx) {
        return fx.server.state().slots().get(Arm.CHAMPION).inFlight();
    }

    private String metrics(ServeFixture fx) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(fx.url() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private long count(ServeFixture fx, int status) throws Exception {
        return metric(fx, "tanrenai_http_requests_total{route=\"" + ROUTE + "\",status=\"" + status + "\"}");
    }

    private long metric(ServeFixture fx, String series) throws Exception {
        Matcher m = Pattern.compile(Pattern.quote(series) + " (\\d+)").matcher(metrics(fx));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
