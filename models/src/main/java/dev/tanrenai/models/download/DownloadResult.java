package dev.tanrenai.models.download;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A finished download.
 *
 * @param path the verified file
 * @param sha256 its SHA-256
 * @param bytes its size
 * @param verified whether it matched an expected SHA-256
 * @param alreadyPresent whether the destination already held the expected file (nothing was fetched)
 * @param attempts requests made (0 when already present)
 * @param resumed whether a partial file from an earlier attempt or run was continued
 */
public record DownloadResult(
        Path path, String sha256, long bytes, boolean verified, boolean alreadyPresent, int attempts, boolean resumed) {
    public DownloadResult {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        if (bytes < 0 || attempts < 0) {
            throw new IllegalArgumentException("bytes and attempts must be >= 0");
        }
    }
}
