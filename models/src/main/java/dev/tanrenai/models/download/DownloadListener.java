package dev.tanrenai.models.download;

/** Progress of a download, for a progress bar. */
@FunctionalInterface
public interface DownloadListener {
    /** @param totalBytes the file's size, or -1 when the server did not say */
    void onProgress(long bytesSoFar, long totalBytes);

    static DownloadListener none() {
        return (done, total) -> {};
    }
}
