package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 end to end against a real {@code pipeline serve} process: an experiment is started, HTTP
 * clients chat and rate (the challenger's answers up, the champion's down), the serving process's
 * periodic evaluation promotes the challenger, the champion alias moves (its history naming the
 * experiment and its numbers), the served model changes while a client keeps asking and no request
 * fails; {@code pipeline ab status|report|decide} show the result.
 */
class CliAbIT {
    private static final String ADMIN_KEY = "admin-key-ab";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void clientsWithFeedbackDriveAPromotionInARunningServer() throws Exception {
        String home = dir.resolve("home").toString();
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        CliRun.ok("models", "make-tiny", a.toString());
        CliRun.ok("models", "make-tiny", b.toString(), "--seed", "7");
        CliRun.ok("models", "add", a.toString(), "--name", "a", "--home", home, "--alias", "champion");
        CliRun.ok("models", "add", b.toString(), "--name", "b", "--home", home, "--alias", "challenger");
        JsonNode experiment = CliRun.ok(
                        "ab",
                        "start",
                        "--share",
                        "0.5",
                        "--min-users",
                        "6",
                        "--evaluate-every",
                        "1",
                        "--home",
                        home,
                        "--json")
                .json();
        String champion = experiment.at("/champion").asText();
        String challenger = experiment.at("/challenger").asText();
        String id = experiment.at("/id").asText();

        Path out = dir.resolve("serve.out");
        Path err = dir.resolve("serve.err");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PipelineCli.class.getName(),
                        "serve",
                        "--home",
                        home,
                        "--port",
                        "0",
                        "--watch",
                        "1",
                        "--admin-key-env",
                        "AB_ADMIN_KEY")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("AB_ADMIN_KEY", ADMIN_KEY);
        Process serve = pb.start();
        try {
            int port = awaitPort(serve, out, err);
            String url = "http://127.0.0.1:" + port;
            awaitShare(url, 0.5);
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger served = new AtomicInteger();
            Thread load = new Thread(() -> {
                int i = 0;
                while (running.get()) {
                    try {
                        HttpResponse<String> r = chat(url, "load" + (i++));
                        served.incrementAndGet();
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            load.start();
            Map<String, Integer> rated = new HashMap<>();
            for (int u = 0; u < 40 && !promoted(url, challenger); u++) {
                HttpResponse<String> r = chat(url, "user" + u);
                assertEquals(200, r.statusCode(), r.body());
                String arm = r.headers().firstValue("X-Tanrenai-Arm").orElseThrow();
                String conversation =
                        r.headers().firstValue("X-Conversation-Id").orElseThrow();
                HttpResponse<String> f = send(
                        url,
                        "/v1/feedback",
                        "{\"conversation_id\":\"" + conversation + "\",\"rating\":\""
                                + (arm.equals("challenger") ? "up" : "down") + "\"}");
                assertEquals(200, f.statusCode(), f.body());
                rated.merge(arm, 1, Integer::sum);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!promoted(url, challenger) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(500); // the client keeps asking across the swap
            running.set(false);
            load.join();
            assertTrue(promoted(url, challenger), "not promoted; rated " + rated + "; " + get(url, "/admin/ab"));
            assertTrue(failures.isEmpty(), served + " requests, failures: " + failures);
            assertTrue(
                    chat(url, "after").body().contains("\"model\":\"" + challenger + "\""), "the new champion answers");
            String events = get(url, "/admin/events");
            assertTrue(events.contains("experiment " + id + " promote"), events);
            JsonNode ab = JSON.readTree(get(url, "/admin/ab"));
            assertEquals("promoted", ab.at("/experiment/status").asText(), ab.toString());
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
        JsonNode history = CliRun.ok("models", "history", "champion", "--home", home, "--json")
                .json();
        JsonNode last = history.get(history.size() - 1);
        assertEquals(champion, last.at("/fromId").asText());
        assertEquals(challenger, last.at("/toId").asText());
        assertTrue(
                last.at("/reason").asText().contains(id)
                        && last.at("/reason").asText().contains("rating rate"),
                last.toString());

        JsonNode status = CliRun.ok("ab", "status", "--home", home, "--json").json();
        assertEquals("promoted", status.at("/experiment/status").asText());
        assertTrue(status.at("/decisions").asInt() >= 1);
        assertTrue(CliRun.ok("ab", "status", "--home", home).out().contains(id));
        Path report = dir.resolve("ab.html");
        CliRun.ok("ab", "report", "--home", home, "--out", report.toString());
        String html = Files.readString(report);
        assertTrue(html.contains(id) && html.contains("<svg") && html.contains("promoted"), html);
        assertTrue(
                html.contains("champion</b> <small>") && html.contains("challenger</b> <small>"),
                "samples of both arms");
        assertTrue(
                !html.contains("<script") && !html.contains("http://") && !html.contains("https://"), "self-contained");
        assertTrue(CliRun.ok("ab", "decide", "--home", home).out().contains("no running A/B experiment"));
    }

    private boolean promoted(String url, String challenger) throws Exception {
        return JSON.readTree(get(url, "/health")).path("champion").asText().equals(challenger);
    }

    private void awaitShare(String url, double share) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (JSON.readTree(get(url, "/health")).path("challenger_share").asDouble() == share) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the experiment's share never applied: " + get(url, "/health"));
    }

    private HttpResponse<String> chat(String url, String user) throws Exception {
        return send(
                url,
                "/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hello " + user
                        + "\"}],\"temperature\":0,\"max_tokens\":3,\"user\":\"" + user + "\"}");
    }

    private HttpResponse<String> send(String url, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String get(String url, String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url + path))
                                .header("X-Admin-Key", ADMIN_KEY)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static int awaitPort(Process serve, Path out, Path err) throws Exception {
        Pattern p = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)/v1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(Files.readString(out));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!serve.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("pipeline serve did not start:\n" + Files.readString(out) + Files.readString(err));
    }
}
