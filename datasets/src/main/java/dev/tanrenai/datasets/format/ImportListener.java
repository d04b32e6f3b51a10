package dev.tanrenai.datasets.format;

/** Progress of an import, for a progress bar. */
@FunctionalInterface
public interface ImportListener {
    /**
     * @param bytesRead bytes of the file consumed so far
     * @param totalBytes the file's size
     * @param linesRead records read so far
     */
    void onProgress(long bytesRead, long totalBytes, long linesRead);

    static ImportListener none() {
        return (bytes, total, lines) -> {};
    }
}
