package dev.tanrenai.datasets.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The snapshots under a datasets directory. "Newest" is defined by a pointer file: {@code
 * <datasetsDir>/<dataset>/LATEST} holds the id of the last snapshot a {@link SnapshotWriter} completed
 * (one line), replaced atomically (write to a temp file, then rename). Snapshot ids are content
 * hashes and carry no order; lineage is in each manifest's {@code provenance.parent}.
 */
public final class SnapshotCatalog {

    public static final String LATEST_FILE = "LATEST";

    private final Path datasetsDir;

    public SnapshotCatalog(Path datasetsDir) {
        this.datasetsDir = java.util.Objects.requireNonNull(datasetsDir, "datasetsDir");
    }

    public Path datasetsDir() {
        return datasetsDir;
    }

    /** Names of the datasets that have a directory here, sorted. */
    public List<String> datasets() throws IOException {
        if (!Files.isDirectory(datasetsDir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(datasetsDir)) {
            return list.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /** Ids of the completed snapshots of {@code dataset} (directories named {@code s-<hex>}), sorted. */
    public List<String> snapshotIds(String dataset) throws IOException {
        Path dir = datasetsDir.resolve(SnapshotManifest.requireDatasetName(dataset));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(SnapshotManifest::isSnapshotId)
                    .sorted()
                    .forEach(ids::add);
        }
        return ids;
    }

    /** Opens and verifies one snapshot. */
    public DatasetSnapshot open(String dataset, String snapshotId) throws IOException {
        if (!SnapshotManifest.isSnapshotId(snapshotId)) {
            throw new IllegalArgumentException("'" + snapshotId + "' is not a snapshot id (s-<16 hex>)");
        }
        return DatasetSnapshot.open(datasetsDir
                .resolve(SnapshotManifest.requireDatasetName(dataset))
                .resolve(snapshotId));
    }

    /**
     * The id in {@code LATEST}, or empty when the dataset has no completed snapshot yet.
     *
     * @throws SnapshotCorruptedException when {@code LATEST} does not hold a snapshot id
     */
    public Optional<String> latestId(String dataset) throws IOException {
        Path pointer = datasetsDir
                .resolve(SnapshotManifest.requireDatasetName(dataset))
                .resolve(LATEST_FILE);
        String text;
        try {
            text = Files.readString(pointer, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String id = text.strip();
        if (!SnapshotManifest.isSnapshotId(id)) {
            throw new SnapshotCorruptedException(pointer + ": holds '" + id + "', not a snapshot id (s-<16 hex>)");
        }
        return Optional.of(id);
    }

    /** The snapshot {@code LATEST} names, opened and verified; empty when there is none. */
    public Optional<DatasetSnapshot> latest(String dataset) throws IOException {
        Optional<String> id = latestId(dataset);
        return id.isEmpty() ? Optional.empty() : Optional.of(open(dataset, id.get()));
    }

    /** Points {@code LATEST} at an existing snapshot, atomically. */
    public void setLatest(String dataset, String snapshotId) throws IOException {
        Path datasetDir = datasetsDir.resolve(SnapshotManifest.requireDatasetName(dataset));
        if (!SnapshotManifest.isSnapshotId(snapshotId) || !Files.isDirectory(datasetDir.resolve(snapshotId))) {
            throw new IllegalArgumentException("cannot point " + datasetDir.resolve(LATEST_FILE) + " at '" + snapshotId
                    + "': no such snapshot directory");
        }
        Path temp = Files.createTempFile(datasetDir, ".LATEST-", ".tmp");
        try {
            Files.delete(temp);
            SnapshotWriter.writeSynced(temp, (snapshotId + "\n").getBytes(StandardCharsets.UTF_8));
            Files.move(temp, datasetDir.resolve(LATEST_FILE), StandardCopyOption.ATOMIC_MOVE);
            SnapshotWriter.syncDirectory(datasetDir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
