package dev.tanrenai.datasets.snapshot;

import java.util.regex.Pattern;

/**
 * One Arrow IPC file of a snapshot, as recorded in its manifest.
 *
 * @param file the file name inside the snapshot directory, {@code part-NNNNN.arrow}
 * @param rows the number of rows (conversations) it holds
 * @param sha256 SHA-256 of its bytes, 64 lower-case hex digits
 * @param bytes its size in bytes
 */
public record SnapshotPart(String file, long rows, String sha256, long bytes) {

    private static final Pattern FILE = Pattern.compile("part-\\d{5}\\.arrow");

    public SnapshotPart {
        if (file == null || !FILE.matcher(file).matches()) {
            throw new IllegalArgumentException("part file name '" + file + "' must match " + FILE.pattern());
        }
        if (rows < 0) {
            throw new IllegalArgumentException("part " + file + ": rows must be >= 0, got " + rows);
        }
        if (!Hashing.isSha256Hex(sha256)) {
            throw new IllegalArgumentException(
                    "part " + file + ": sha256 '" + sha256 + "' is not 64 lower-case hex digits");
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("part " + file + ": bytes must be > 0, got " + bytes);
        }
    }

    /** The file name of the part with the given 0-based index. */
    public static String fileName(int index) {
        return String.format(java.util.Locale.ROOT, "part-%05d.arrow", index);
    }
}
