package dev.tanrenai.datasets.store;

/** A conversation-store or registry operation failed; the message says which and on what. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
