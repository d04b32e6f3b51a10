package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline serve} killed with SIGKILL under 8 clients: every conversation the server had
 * answered is in the store (a reply is sent only after its conversation is committed).
 */
class CliServeKillIT {

    private static final int CLIENTS = 8;

    @TempDir
    Path dir;

    @Test
    void everyAnsweredConversationSurvivesSigkill() throws Exception {
        Path home = dir.resolve("home");
        Path model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        CliRun.ok("models", "add", model.toString(), "--home", home.toString(), "--alias", "champion");
        Path out = dir.resolve("serve.out");
        Path err = dir.resolve("serve.err");
        Process serve = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PipelineCli.class.getName(),
                        "serve",
                        "--home",
                        home.toString(),
                        "--port",
                        "0")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        try {
            int port = awaitPort(serve, out, err);
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String id = "kill-" + client + "-" + n;
                        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"turn " + n + " of client "
                                + client + "\"}],\"max_tokens\":8,\"temperature\":0}";
                        try {
                            HttpResponse<String> r = http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                                            .header("Content-Type", "application/json")
                                            .header("X-Conversation-Id", id)
                                            .timeout(Duration.ofSeconds(30))
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200 && r.body().contains("\"choices\"")) {
                                answered.add(id);
                            }
                        } catch (Exception e) {
                            return; // the server is gone
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (answered.size() < 24 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            serve.destroyForcibly(); // SIGKILL, requests in flight
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS));
        } finally {
            stop.set(true);
            serve.destroyForcibly();
            for (Thread t : clients) {
                t.join(60_000);
            }
        }
        assertTrue(answered.size() >= 24, "only " + answered.size() + " answers before the kill");
        ConversationStore store = new ConversationStore(Database.open(new TanrenaiHome(home).defaultJdbcUrl()));
        List<String> lost =
                answered.stream().filter(id -> store.get(id).isEmpty()).sorted().toList();
        assertTrue(lost.isEmpty(), lost.size() + " of " + answered.size() + " answered conversations lost: " + lost);
        System.out.printf(
                "%d answered before SIGKILL, all stored; %d conversations in the store%n",
                answered.size(), store.stats().conversations());
    }

    private static int awaitPort(Process serve, Path out, Path err) throws Exception {
        Pattern url = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)/v1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = url.matcher(Files.readString(out));
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
