package dev.tanrenai.datasets.store;

/**
 * A write failed because the store's disk is full (SQLite's SQLITE_FULL: no space left on the
 * device, or the database reached its page limit). The transaction was rolled back: the store holds
 * what it held before the write.
 */
public final class StoreFullException extends StoreException {
    public StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
