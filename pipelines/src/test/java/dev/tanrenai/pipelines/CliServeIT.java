package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline serve} as its own process, the way it is run: debug logging never shows a
 * credential, and SIGTERM answers every request it had taken in before the process exits.
 */
class CliServeIT {

    private static final String CLIENT_KEY = "client-secret-3f9a61c2";
    private static final String ADMIN_KEY = "admin-secret-77b0d4e8";
    private static final String CHAT =
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}],\"max_tokens\":4,\"temperature\":0}";

    @TempDir
    Path dir;

    @Test
    void debugLogsHoldNoCredentialAndSigtermAnswersEveryRequestTakenIn() throws Exception {
        String home = dir.resolve("home").toString();
        Path model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        CliRun.ok("models", "add", model.toString(), "--home", home, "--alias", "champion");

        Path out = dir.resolve("serve.out");
        Path err = dir.resolve("serve.err");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug", // what TANRENAI_LOG_LEVEL=debug sets
                        "-cp",
                        System.getProperty("java.class.path"),
                        PipelineCli.class.getName(),
                        "serve",
                        "--home",
                        home,
                        "--port",
                        "0",
                        "--api-keys-env",
                        "TEST_CLIENT_KEYS",
                        "--admin-key-env",
                        "TEST_ADMIN_KEY")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("TEST_CLIENT_KEYS", CLIENT_KEY);
        pb.environment().put("TEST_ADMIN_KEY", ADMIN_KEY);
        Process serve = pb.start();
        try {
            int port = awaitPort(serve, out, err);
            String bearer = "Authorization: Bearer " + CLIENT_KEY;
            assertEquals(200, exchange(port, post("/v1/chat/completions", CHAT, bearer), 0, "").status);
            assertEquals(401, exchange(port, post("/v1/chat/completions", CHAT, bearer + "x"), 0, "").status);
            int events = exchange(
                            port,
                            "GET /admin/events HTTP/1.1\r\nHost: x\r\nX-Admin-Key: " + ADMIN_KEY + "\r\n\r\n",
                            0,
                            "")
                    .status;
            int split = exchange(
                            port,
                            post("/admin/split", "{\"challenger_share\":0}", "Authorization: Bearer " + ADMIN_KEY),
                            0,
                            "")
                    .status;
            // requests taken in but not finished when SIGTERM comes: their bodies are still arriving
            List<CompletableFuture<Answer>> inFlight = new ArrayList<>();
            String request = post("/v1/chat/completions", CHAT, bearer);
            int cut = request.length() - 10;
            for (int i = 0; i < 4; i++) {
                inFlight.add(CompletableFuture.supplyAsync(
                        () -> exchange(port, request.substring(0, cut), 2000, request.substring(cut))));
            }
            Thread.sleep(700);
            serve.destroy(); // SIGTERM
            for (CompletableFuture<Answer> f : inFlight) {
                Answer a = f.get(60, TimeUnit.SECONDS);
                assertTrue(a.status == 200 || a.status == 503, "an in-flight request was cut: " + a);
            }
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "the server exits after draining");
            assertEquals(List.of(200, 200), List.of(events, split), "admin calls with the key in either header");
        } finally {
            serve.destroyForcibly();
        }
        String logs = Files.readString(out) + Files.readString(err);
        // at debug, Jetty printed every request header: 16 lines with a key in this test before the fix
        List<String> leaks = logs.lines()
                .filter(l -> l.contains(CLIENT_KEY) || l.contains(ADMIN_KEY))
                .map(l -> l.length() > 300 ? l.substring(0, 300) + "..." : l)
                .toList();
        assertTrue(leaks.isEmpty(), leaks.size() + " log lines hold a key:\n" + String.join("\n", leaks));
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

    private static String post(String path, String body, String header) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + header
                + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    record Answer(int status, String text) {}

    /** Sends {@code first}, waits {@code pauseMillis}, sends {@code rest}, reads the status line. */
    private static Answer exchange(int port, String first, long pauseMillis, String rest) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(60_000);
            OutputStream o = s.getOutputStream();
            o.write(first.getBytes(StandardCharsets.UTF_8));
            o.flush();
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
            if (!rest.isEmpty()) {
                o.write(rest.getBytes(StandardCharsets.UTF_8));
                o.flush();
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                head.write(b);
            }
            String line = head.toString(StandardCharsets.ISO_8859_1);
            String[] parts = line.split(" ");
            return parts.length > 1 && parts[0].startsWith("HTTP/")
                    ? new Answer(Integer.parseInt(parts[1]), line)
                    : new Answer(-1, "no status line: '" + line + "'");
        } catch (IOException | InterruptedException e) {
            return new Answer(-1, e.toString());
        }
    }
}
