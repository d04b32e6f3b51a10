package dev.tanrenai.datasets.snapshot;

/** A dataset snapshot cannot be written or read as asked (conflict, bad argument on disk, ...). */
public class SnapshotException extends RuntimeException {

    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
