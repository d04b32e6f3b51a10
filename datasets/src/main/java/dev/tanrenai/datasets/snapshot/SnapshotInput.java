package dev.tanrenai.datasets.snapshot;

/**
 * One input a snapshot was built from (a store table, an import file, a parent snapshot, ...).
 *
 * @param kind what kind of input, e.g. {@code sqlite}, {@code jsonl}, {@code snapshot}
 * @param uri where it is, e.g. a file URI or {@code dataset:<name>/<snapshotId>}
 * @param watermark the highest sequence/row id read from it, or null when not applicable
 * @param sha256 the input's SHA-256 (64 lower-case hex digits), or null when not hashed
 * @param rows how many rows were read from it, or null when unknown
 */
public record SnapshotInput(String kind, String uri, Long watermark, String sha256, Long rows) {

    public SnapshotInput {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("snapshot input: kind must be a non-empty string");
        }
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("snapshot input " + kind + ": uri must be a non-empty string");
        }
        if (sha256 != null && !Hashing.isSha256Hex(sha256)) {
            throw new IllegalArgumentException(
                    "snapshot input " + uri + ": sha256 '" + sha256 + "' is not 64 lower-case hex digits");
        }
        if (rows != null && rows < 0) {
            throw new IllegalArgumentException("snapshot input " + uri + ": rows must be >= 0, got " + rows);
        }
    }

    /** An input known only by kind and location. */
    public static SnapshotInput of(String kind, String uri) {
        return new SnapshotInput(kind, uri, null, null, null);
    }
}
