package dev.tanrenai.datasets.snapshot;

/**
 * A snapshot on disk does not match its manifest, or the manifest itself is malformed. The message
 * names the file and the field or the expected and actual value.
 */
public class SnapshotCorruptedException extends SnapshotException {

    public SnapshotCorruptedException(String message) {
        super(message);
    }

    public SnapshotCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
