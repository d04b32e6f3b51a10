package dev.tanrenai.models.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a real HTTP server on 127.0.0.1 that misbehaves on purpose. */
class ModelDownloaderTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();
    private byte[] model;
    private String sha;
    /** What the next requests to /model.gguf get: "ok", "drop" (half then close), "ignore-range", or a status. */
    private final Deque<String> script = new ArrayDeque<>();

    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private ModelDownloader downloader;

    @BeforeEach
    void start() throws IOException {
        Path file = dir.resolve("source.gguf");
        sha = TinyModelMaker.write(TinyModelSpec.llamaDefault(), file);
        model = Files.readAllBytes(file);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/model.gguf", this::serveModel);
        server.createContext("/moved.gguf", ex -> {
            ex.getResponseHeaders().add("Location", "/model.gguf");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/elsewhere.gguf", ex -> {
            // another origin: the same server, named differently
            ex.getResponseHeaders()
                    .add("Location", "http://localhost:" + server.getAddress().getPort() + "/model.gguf");
            ex.sendResponseHeaders(307, -1);
            ex.close();
        });
        server.createContext("/page.gguf", ex -> {
            byte[] html = "<html><body>Please log in</body></html>".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, html.length);
            ex.getResponseBody().write(html);
            ex.close();
        });
        server.start();
        downloader = new ModelDownloader(
                java.net.http.HttpClient.newBuilder()
                        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
                        .build(),
                sleeps::add);
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void serveModel(HttpExchange ex) throws IOException {
        ranges.add(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
        authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        String step = script.isEmpty() ? "ok" : script.poll();
        if (step.matches("\\d+")) {
            if (step.equals("429")) {
                ex.getResponseHeaders().add("Retry-After", "7");
            }
            ex.sendResponseHeaders(Integer.parseInt(step), -1);
            ex.close();
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null && !step.equals("ignore-range")) {
            from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            ex.getResponseHeaders()
                    .add("Content-Range", "bytes " + from + "-" + (model.length - 1) + "/" + model.length);
            ex.sendResponseHeaders(206, model.length - from);
        } else {
            ex.sendResponseHeaders(200, model.length);
        }
        OutputStream out = ex.getResponseBody();
        if (step.equals("stall")) {
            out.write(model, from, (model.length - from) / 2);
            out.flush();
            try {
                Thread.sleep(3000); // silent: the client's idle watchdog must give up first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        if (step.equals("drop")) {
            out.write(model, from, (model.length - from) / 2);
            out.flush();
            ex.getHttpContext().getServer(); // keep the exchange referenced until the abort
            ex.close(); // ends the exchange with the body incomplete: the client sees a broken transfer
            return;
        }
        out.write(model, from, model.length - from);
        ex.close();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private DownloadRequest request(String path, String expectedSha) {
        return new DownloadRequest(
                url(path), dir.resolve("models/out.gguf"), expectedSha, Map.of(), 4, Duration.ofSeconds(5));
    }

    @Test
    void downloadsAndVerifies() throws IOException {
        long[] lastProgress = {0};
        DownloadResult r = downloader.download(request("/model.gguf", sha), (done, total) -> lastProgress[0] = done);
        assertTrue(r.verified());
        assertEquals(sha, r.sha256());
        assertEquals(1, r.attempts());
        assertArrayEquals(model, Files.readAllBytes(r.path()));
        assertEquals(model.length, lastProgress[0]);
        assertFalse(Files.exists(dir.resolve("models/out.gguf.part")));
    }

    @Test
    void resumesABrokenTransferWithARangeRequest() throws IOException {
        script.add("drop");
        DownloadResult r = downloader.download(request("/model.gguf", sha), DownloadListener.none());
        assertEquals(2, r.attempts());
        assertTrue(r.resumed());
        assertEquals("null", ranges.get(0));
        assertTrue(ranges.get(1).matches("bytes=\\d+-"), ranges.get(1));
        assertArrayEquals(model, Files.readAllBytes(r.path()));
        assertEquals(List.of(Duration.ofSeconds(1)), sleeps, "one backoff before the retry");
    }

    @Test
    void aStalledTransferIsDroppedAndResumed() throws IOException {
        script.add("stall");
        DownloadRequest impatient = new DownloadRequest(
                url("/model.gguf"), dir.resolve("models/out.gguf"), sha, Map.of(), 3, Duration.ofMillis(300));
        DownloadResult r = downloader.download(impatient, DownloadListener.none());
        assertEquals(2, r.attempts());
        assertTrue(r.resumed());
        assertArrayEquals(model, Files.readAllBytes(r.path()));
    }

    @Test
    void restartsWhenTheServerIgnoresTheRange() throws IOException {
        script.add("drop");
        script.add("ignore-range");
        DownloadResult r = downloader.download(request("/model.gguf", sha), DownloadListener.none());
        assertFalse(r.resumed());
        assertArrayEquals(model, Files.readAllBytes(r.path()));
    }

    @Test
    void followsRedirects() throws IOException {
        assertArrayEquals(
                model,
                Files.readAllBytes(downloader
                        .download(request("/moved.gguf", sha), DownloadListener.none())
                        .path()));
    }

    @Test
    void credentialsAreNotSentToAnotherOriginAfterARedirect() throws IOException {
        DownloadRequest gated = new DownloadRequest(
                url("/elsewhere.gguf"),
                dir.resolve("models/out.gguf"),
                sha,
                Map.of("Authorization", "Bearer hf_s3cret"),
                2,
                Duration.ofSeconds(5));
        assertArrayEquals(
                model,
                Files.readAllBytes(
                        downloader.download(gated, DownloadListener.none()).path()));
        assertEquals(List.of("null"), authorizations, "the token stays with the origin the caller named");
    }

    @Test
    void anyServerErrorIsRetried() throws IOException {
        script.add("520");
        DownloadResult r = downloader.download(request("/model.gguf", sha), DownloadListener.none());
        assertEquals(2, r.attempts());
    }

    @Test
    void retriesServerErrorsAndHonoursRetryAfter() throws IOException {
        script.add("503");
        script.add("429");
        DownloadResult r = downloader.download(request("/model.gguf", sha), DownloadListener.none());
        assertEquals(3, r.attempts());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(7)), sleeps);
    }

    @Test
    void notFoundFailsAtOnceWithoutRetries() {
        script.add("404");
        DownloadException e = assertThrows(
                DownloadException.class,
                () -> downloader.download(request("/model.gguf", sha), DownloadListener.none()));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("HTTP 404 (no such file: check the URL)"), e.getMessage());
        assertEquals(1, ranges.size());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void givesUpAfterMaxAttempts() {
        for (int i = 0; i < 4; i++) {
            script.add("500");
        }
        DownloadException e = assertThrows(
                DownloadException.class,
                () -> downloader.download(request("/model.gguf", sha), DownloadListener.none()));
        assertTrue(e.getMessage().contains("after 4 attempts"), e.getMessage());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), sleeps);
    }

    @Test
    void aWrongHashLeavesNothingBehind() {
        String wrong = "0".repeat(64);
        DownloadException e = assertThrows(
                DownloadException.class,
                () -> downloader.download(request("/model.gguf", wrong), DownloadListener.none()));
        assertTrue(e.getMessage().contains("expected " + wrong), e.getMessage());
        assertFalse(Files.exists(dir.resolve("models/out.gguf")));
        assertFalse(Files.exists(dir.resolve("models/out.gguf.part")));
    }

    @Test
    void anHtmlPageIsNotAModel() {
        DownloadException e = assertThrows(
                DownloadException.class,
                () -> downloader.download(request("/page.gguf", null), DownloadListener.none()));
        assertTrue(e.getMessage().contains("did not deliver a GGUF model file"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("models/out.gguf")));
    }

    @Test
    void aFilePresentWithTheRightHashIsNotFetchedAgain() throws IOException {
        downloader.download(request("/model.gguf", sha), DownloadListener.none());
        DownloadResult again = downloader.download(request("/model.gguf", sha), DownloadListener.none());
        assertTrue(again.alreadyPresent());
        assertEquals(0, again.attempts());
        assertEquals(1, ranges.size(), "no second request");
        assertEquals(sha, Sha256.ofFile(again.path()));
    }

    @Test
    void secretsStayOutOfMessages() {
        script.add("403");
        DownloadRequest gated = new DownloadRequest(
                url("/model.gguf?token=s3cret"),
                dir.resolve("models/out.gguf"),
                null,
                Map.of("Authorization", "Bearer hf_s3cret"),
                2,
                Duration.ofSeconds(5));
        DownloadException e =
                assertThrows(DownloadException.class, () -> downloader.download(gated, DownloadListener.none()));
        assertEquals("Bearer hf_s3cret", authorizations.get(0), "the header is sent");
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().contains("?<redacted>") && e.getMessage().contains("gated"), e.getMessage());
    }

    @Test
    void requestsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> DownloadRequest.of(URI.create("ftp://x/y.gguf"), dir, null));
        assertThrows(IllegalArgumentException.class, () -> DownloadRequest.of(url("/m"), dir.resolve("m"), "abc"));
    }
}
