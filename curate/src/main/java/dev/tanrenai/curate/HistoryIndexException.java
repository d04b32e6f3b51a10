package dev.tanrenai.curate;

/** The dedupe history index cannot be read or written, or was built with other MinHash settings. */
public final class HistoryIndexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HistoryIndexException(String message) {
        super(message);
    }

    public HistoryIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
