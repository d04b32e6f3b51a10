package dev.tanrenai.models.download;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One model file to fetch.
 *
 * @param url an http or https URL (a Hugging Face {@code resolve/main/...gguf} URL, say)
 * @param destination where the verified file ends up
 * @param expectedSha256 the file's SHA-256 (lower-case hex), or null to accept any content (the
 *     result then says it was not verified)
 * @param headers extra request headers, e.g. {@code Authorization: Bearer ...} for gated models;
 *     their values never appear in messages
 * @param maxAttempts how many times to try before giving up (>= 1)
 * @param idleTimeout how long a connection may stay silent before it is dropped and retried
 */
public record DownloadRequest(
        URI url,
        Path destination,
        String expectedSha256,
        Map<String, String> headers,
        int maxAttempts,
        Duration idleTimeout) {

    public DownloadRequest {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("only http and https URLs can be downloaded, got " + Redaction.url(url));
        }
        Objects.requireNonNull(destination, "destination");
        destination = destination.toAbsolutePath().normalize();
        if (expectedSha256 != null) {
            expectedSha256 = expectedSha256.toLowerCase(Locale.ROOT);
            if (!expectedSha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(
                        "the expected SHA-256 must be 64 hex digits, got '" + expectedSha256 + "'");
            }
        }
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(headers));
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be in [1, 100], got " + maxAttempts);
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be > 0, got " + idleTimeout);
        }
    }

    /** A request with 5 attempts and a 60-second idle timeout. */
    public static DownloadRequest of(URI url, Path destination, String expectedSha256) {
        return new DownloadRequest(url, destination, expectedSha256, Map.of(), 5, Duration.ofSeconds(60));
    }

    /** The partial file a download writes to (and resumes from). */
    public Path partFile() {
        return destination.resolveSibling(destination.getFileName() + ".part");
    }
}
