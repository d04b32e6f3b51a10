package dev.tanrenai.datasets.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code manifest.json} of a dataset snapshot: what the parts are, how to check them, and where
 * the data came from. It holds no wall-clock time, so the same input gives byte-identical JSON.
 *
 * <p>The snapshot id is {@code "s-"} + the first 16 hex digits of the SHA-256 of this manifest's
 * canonical JSON written with {@code snapshotId} = {@code ""} (see {@link #deriveId}). It therefore
 * covers the content hash (which covers every part byte) and the provenance and counts, so two
 * snapshots with equal rows but a different parent or configuration never share an id.
 *
 * @param format always {@value #FORMAT}
 * @param schemaVersion the {@link ConversationArrowSchema} version of the parts
 * @param dataset the dataset name (also the parent directory name)
 * @param snapshotId {@code s-<16 hex>}, also the directory name
 * @param rowCount total rows, the sum of the parts' rows
 * @param contentSha256 SHA-256 over the parts' SHA-256 hex digests in order, one per line (so over every
 *     part byte, computable from the parts' hashes alone)
 * @param parts the Arrow IPC files, in order; at least one
 * @param provenance inputs, configuration, code and parent
 * @param counts stage counters (e.g. {@code dropped.empty}), sorted by name
 */
public record SnapshotManifest(
        String format,
        int schemaVersion,
        String dataset,
        String snapshotId,
        long rowCount,
        String contentSha256,
        List<SnapshotPart> parts,
        SnapshotProvenance provenance,
        Map<String, Long> counts) {

    public static final String FORMAT = "tanrenai-dataset";
    public static final String FILE_NAME = "manifest.json";

    private static final Pattern SNAPSHOT_ID = Pattern.compile("s-[0-9a-f]{16}");
    private static final Pattern DATASET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public SnapshotManifest {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format is '" + format + "', expected '" + FORMAT + "'");
        }
        if (schemaVersion != ConversationArrowSchema.SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion " + schemaVersion + " is not supported (expected "
                    + ConversationArrowSchema.SCHEMA_VERSION + ")");
        }
        requireDatasetName(dataset);
        if (!isSnapshotId(snapshotId) && !"".equals(snapshotId)) {
            throw new IllegalArgumentException("snapshotId '" + snapshotId + "' is not s-<16 hex>");
        }
        if (!Hashing.isSha256Hex(contentSha256)) {
            throw new IllegalArgumentException("contentSha256 '" + contentSha256 + "' is not 64 lower-case hex digits");
        }
        parts = List.copyOf(Objects.requireNonNull(parts, "parts must not be null"));
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("parts must list at least one part");
        }
        long sum = 0;
        for (int i = 0; i < parts.size(); i++) {
            if (!parts.get(i).file().equals(SnapshotPart.fileName(i))) {
                throw new IllegalArgumentException("parts[" + i + "].file is '"
                        + parts.get(i).file() + "', expected '" + SnapshotPart.fileName(i) + "'");
            }
            sum += parts.get(i).rows();
        }
        if (sum != rowCount) {
            throw new IllegalArgumentException("rowCount " + rowCount + " differs from the sum of parts[].rows " + sum);
        }
        Objects.requireNonNull(provenance, "provenance must not be null");
        counts = sortedCounts(Objects.requireNonNull(counts, "counts must not be null"));
    }

    /** Whether {@code s} has the form of a snapshot id, {@code s-<16 lower-case hex>}. */
    public static boolean isSnapshotId(String s) {
        return s != null && SNAPSHOT_ID.matcher(s).matches();
    }

    /**
     * Checks a dataset name: a letter or digit, then letters, digits, {@code . _ -}; at most 128.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static String requireDatasetName(String dataset) {
        if (dataset == null || !DATASET_NAME.matcher(dataset).matches()) {
            throw new IllegalArgumentException("dataset name '" + dataset + "' must match " + DATASET_NAME.pattern());
        }
        return dataset;
    }

    /** The id this manifest's content determines (independent of the current {@code snapshotId}). */
    public String deriveId() {
        SnapshotManifest unnamed = new SnapshotManifest(
                format, schemaVersion, dataset, "", rowCount, contentSha256, parts, provenance, counts);
        byte[] canonical = ManifestJson.write(unnamed).getBytes(StandardCharsets.UTF_8);
        return "s-" + Hashing.sha256Hex(canonical).substring(0, 16);
    }

    /** This manifest with {@code snapshotId} set to {@link #deriveId()}. */
    public SnapshotManifest withDerivedId() {
        return new SnapshotManifest(
                format, schemaVersion, dataset, deriveId(), rowCount, contentSha256, parts, provenance, counts);
    }

    /** Canonical JSON: sorted keys, 2-space indent, {@code \n} line ends, trailing newline. */
    public String toJson() {
        return ManifestJson.write(this);
    }

    private static Map<String, Long> sortedCounts(Map<String, Long> counts) {
        Map<String, Long> sorted = new TreeMap<>();
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            if (entry.getKey() == null || entry.getKey().isBlank()) {
                throw new IllegalArgumentException("counts has an empty counter name");
            }
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("counts." + entry.getKey() + " must not be null");
            }
            sorted.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(sorted);
    }
}
