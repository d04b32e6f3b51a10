package dev.tanrenai.models.download;

import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.models.gguf.GgufFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * Downloads model files over HTTP(S): follows redirects (Hugging Face sends files from a CDN) by
 * hand, sending the caller's headers (an access token) only to the URL's own origin and never
 * following https down to http,
 * resumes a partial file with a {@code Range} request, retries transient failures (connection
 * errors, stalls, 408, 429 with {@code Retry-After}, 5xx) with exponential backoff, and accepts the
 * file only after its SHA-256 matches (when given) and it opens as a valid GGUF — a saved HTML error
 * page is never mistaken for a model. The file appears at its destination atomically.
 */
public final class ModelDownloader {

    /** Waits between attempts; injectable so tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(120);
    static final int MAX_REDIRECTS = 10;

    private final HttpClient client;
    private final Sleeper sleeper;

    /** A downloader with its own HTTP client (redirects followed, 30-second connect timeout). */
    public ModelDownloader() {
        this(
                HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER) // followed by hand: see Attempt.run
                        .connectTimeout(Duration.ofSeconds(30))
                        .build(),
                d -> Thread.sleep(d.toMillis()));
    }

    public ModelDownloader(HttpClient client, Sleeper sleeper) {
        this.client = client;
        this.sleeper = sleeper;
    }

    /** Fetches {@code request.url()} to {@code request.destination()}; see the class comment. */
    public DownloadResult download(DownloadRequest request, DownloadListener listener) throws IOException {
        Path destination = request.destination();
        Files.createDirectories(destination.getParent());
        if (request.expectedSha256() != null
                && Files.isRegularFile(destination)
                && Sha256.ofFile(destination).equals(request.expectedSha256())) {
            return new DownloadResult(
                    destination, request.expectedSha256(), Files.size(destination), true, true, 0, false);
        }
        Path part = request.partFile();
        boolean resumed = false;
        int attempts = 0;
        Attempt.Outcome last = null;
        while (attempts < request.maxAttempts()) {
            attempts++;
            last = new Attempt(client, request, part, listener).run();
            resumed |= last.resumed();
            if (last.complete()) {
                break;
            }
            if (attempts < request.maxAttempts()) {
                Duration wait = last.retryAfter().orElse(backoff(attempts));
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("download of " + Redaction.url(request.url()) + " interrupted");
                }
            }
        }
        if (last == null || !last.complete()) {
            throw new DownloadException(
                    "gave up on " + Redaction.url(request.url()) + " after " + attempts + " attempts: "
                            + (last == null ? "no attempt" : last.problem()),
                    last == null ? -1 : last.status(),
                    last == null ? null : last.cause());
        }
        return finish(request, part, attempts, resumed);
    }

    private static DownloadResult finish(DownloadRequest request, Path part, int attempts, boolean resumed)
            throws IOException {
        String sha = Sha256.ofFile(part);
        String where = Redaction.url(request.url());
        if (request.expectedSha256() != null && !request.expectedSha256().equals(sha)) {
            Files.deleteIfExists(part);
            throw new DownloadException(
                    where + " has SHA-256 " + sha + ", expected " + request.expectedSha256() + " (download deleted)",
                    -1,
                    null);
        }
        try (GgufFile gguf = GgufFile.open(part)) {
            gguf.tensors(); // opened and validated: header, metadata, tensor table and data bounds
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw new DownloadException(
                    where + " did not deliver a GGUF model file (" + e.getMessage() + "); download deleted", -1, e);
        }
        long bytes = Files.size(part);
        Files.move(part, request.destination(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new DownloadResult(
                request.destination(), sha, bytes, request.expectedSha256() != null, false, attempts, resumed);
    }

    /** 1 s, 2 s, 4 s, ... at most 30 s before attempt {@code attempt + 1}. */
    static Duration backoff(int attempt) {
        long seconds = FIRST_BACKOFF.getSeconds() << Math.min(attempt - 1, 16);
        return seconds > MAX_BACKOFF.getSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
    }

    /** One HTTP request and the copy of its body into the part file. */
    private static final class Attempt {
        record Outcome(
                boolean complete,
                boolean resumed,
                int status,
                Optional<Duration> retryAfter,
                String problem,
                Throwable cause) {}

        private final HttpClient client;
        private final DownloadRequest request;
        private final Path part;
        private final DownloadListener listener;

        Attempt(HttpClient client, DownloadRequest request, Path part, DownloadListener listener) {
            this.client = client;
            this.request = request;
            this.part = part;
            this.listener = listener;
        }

        Outcome run() throws IOException {
            long have = Files.exists(part) ? Files.size(part) : 0;
            java.net.URI uri = request.url();
            HttpResponse<InputStream> response;
            for (int hop = 0; ; hop++) {
                HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(request.idleTimeout());
                if (sameOrigin(uri, request.url())) {
                    // credentials go only to the origin the caller named, never to a redirect target (a CDN)
                    request.headers().forEach(builder::header);
                }
                if (have > 0) {
                    builder.header("Range", "bytes=" + have + "-");
                }
                try {
                    response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("download of " + Redaction.url(request.url()) + " interrupted");
                } catch (IOException e) {
                    return retry(-1, Optional.empty(), "connection failed: " + e, e);
                }
                int status = response.statusCode();
                if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                    break;
                }
                response.body().close();
                java.net.URI next = redirectTarget(uri, response, hop);
                uri = next;
            }
            int status = response.statusCode();
            try (InputStream body = response.body()) {
                if (status >= 500 || status == 408 || status == 429) {
                    return retry(status, retryAfter(response), "HTTP " + status, null);
                }
                return switch (status) {
                    case 200 -> copy(body, response, false, -1);
                    case 206 -> resume(body, response, have);
                    case 416 -> rangeNotSatisfiable(have);
                    default ->
                        throw new DownloadException(
                                Redaction.url(request.url()) + " answered HTTP " + status + explain(status),
                                status,
                                null);
                };
            }
        }

        /** Where a redirect leads: at most {@link #MAX_REDIRECTS} hops, never from https down to http. */
        private java.net.URI redirectTarget(java.net.URI from, HttpResponse<?> response, int hop)
                throws DownloadException {
            int status = response.statusCode();
            String location = response.headers()
                    .firstValue("Location")
                    .orElseThrow(() -> new DownloadException(
                            Redaction.url(from) + " answered HTTP " + status + " without a Location", status, null));
            java.net.URI to;
            try {
                to = from.resolve(location);
            } catch (IllegalArgumentException e) {
                throw new DownloadException(Redaction.url(from) + " redirected to an invalid location", status, e);
            }
            if (hop + 1 > MAX_REDIRECTS) {
                throw new DownloadException(
                        Redaction.url(request.url()) + " redirected more than " + MAX_REDIRECTS + " times",
                        status,
                        null);
            }
            if ("https".equalsIgnoreCase(from.getScheme()) && !"https".equalsIgnoreCase(to.getScheme())) {
                throw new DownloadException(
                        Redaction.url(from) + " redirected from https to " + Redaction.url(to) + ": refused",
                        status,
                        null);
            }
            return to;
        }

        private static boolean sameOrigin(java.net.URI a, java.net.URI b) {
            return a.getScheme().equalsIgnoreCase(b.getScheme())
                    && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
                    && port(a) == port(b);
        }

        private static int port(java.net.URI u) {
            return u.getPort() >= 0 ? u.getPort() : ("https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
        }

        private Outcome resume(InputStream body, HttpResponse<InputStream> response, long have) throws IOException {
            String range = response.headers().firstValue("Content-Range").orElse("");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)")
                    .matcher(range);
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                Files.deleteIfExists(part);
                return retry(
                        206, Optional.of(Duration.ZERO), "server resumed at the wrong offset (" + range + ")", null);
            }
            long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            return copy(body, response, true, total);
        }

        private Outcome rangeNotSatisfiable(long have) throws IOException {
            if (have > 0
                    && request.expectedSha256() != null
                    && Sha256.ofFile(part).equals(request.expectedSha256())) {
                return new Outcome(true, true, 416, Optional.empty(), "", null);
            }
            Files.deleteIfExists(part);
            return retry(416, Optional.of(Duration.ZERO), "the partial file does not fit the server's file", null);
        }

        /** Copies the body: appended after a 206, from the start after a 200. */
        private Outcome copy(InputStream body, HttpResponse<InputStream> response, boolean append, long totalFromRange)
                throws IOException {
            long start = append ? Files.size(part) : 0;
            long total = totalFromRange >= 0
                    ? totalFromRange
                    : response.headers().firstValueAsLong("Content-Length").orElse(-1);
            IdleWatchdog watchdog = new IdleWatchdog(body, request.idleTimeout());
            long written = start;
            try (OutputStream out = Files.newOutputStream(
                            part,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
                    watchdog) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = body.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    written += n;
                    watchdog.progress();
                    listener.onProgress(written, total);
                }
            } catch (IOException e) {
                String why = watchdog.fired()
                        ? "no data for " + request.idleTimeout().toSeconds() + " s"
                        : e.toString();
                return retry(
                        response.statusCode(),
                        Optional.empty(),
                        "transfer broke after " + written + " bytes: " + why,
                        e);
            }
            if (total >= 0 && written != total) {
                return retry(
                        response.statusCode(),
                        Optional.empty(),
                        "transfer ended at " + written + " of " + total + " bytes",
                        null);
            }
            return new Outcome(true, append, response.statusCode(), Optional.empty(), "", null);
        }

        private static Outcome retry(int status, Optional<Duration> after, String problem, Throwable cause) {
            return new Outcome(false, false, status, after, problem, cause);
        }

        private static Optional<Duration> retryAfter(HttpResponse<?> response) {
            return response.headers().firstValue("Retry-After").flatMap(value -> {
                try {
                    long seconds = Long.parseLong(value.trim());
                    return Optional.of(
                            Duration.ofSeconds(Math.max(0, Math.min(seconds, MAX_RETRY_AFTER.getSeconds()))));
                } catch (NumberFormatException e) {
                    return Optional.empty(); // an HTTP date: fall back to the backoff
                }
            });
        }

        private static String explain(int status) {
            return switch (status) {
                case 401, 403 -> " (the model may be gated: pass an access token)";
                case 404 -> " (no such file: check the URL)";
                default -> "";
            };
        }
    }
}
