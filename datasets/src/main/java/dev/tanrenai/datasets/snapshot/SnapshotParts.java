package dev.tanrenai.datasets.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The two halves of writing a snapshot, usable apart: {@link #write} writes one Arrow part file
 * (on whichever machine holds its rows) and returns its row count, hash and size; {@link #publish}
 * turns a staging directory of written parts into the snapshot, from those figures alone — the
 * manifest's content hash is over the parts' hashes ({@link Hashing#content}), so no part is read
 * again. {@link SnapshotWriter} uses both on one thread; a distributed sink writes the parts on the
 * workers and publishes on the driver.
 */
public final class SnapshotParts {

    /** A written part: its rows, SHA-256 and size in bytes. */
    public record Written(long rows, String sha256, long bytes) implements java.io.Serializable {
        public Written {
            if (rows < 0 || bytes <= 0 || !Hashing.isSha256Hex(sha256)) {
                throw new IllegalArgumentException("a written part needs rows >= 0, bytes > 0 and a SHA-256, got "
                        + rows + ", " + bytes + ", " + sha256);
            }
        }
    }

    private SnapshotParts() {}

    /** A new hidden staging directory {@code <datasetsDir>/<dataset>/.tmp-*} for a snapshot's parts. */
    public static Path staging(Path datasetsDir, String dataset) throws IOException {
        SnapshotManifest.requireDatasetName(dataset);
        Path datasetDir = Files.createDirectories(datasetsDir.resolve(dataset));
        return Files.createTempDirectory(datasetDir, ".tmp-");
    }

    /**
     * Writes {@code rows} as one Arrow IPC file {@code file} (created new, synced) in record batches
     * of {@code rowsPerBatch}, holding one batch in memory. The same rows give the same bytes.
     */
    public static Written write(Path file, Schema schema, Iterator<ConversationRow> rows, int rowsPerBatch)
            throws IOException {
        if (rowsPerBatch < 1) {
            throw new IllegalArgumentException("rowsPerBatch must be > 0, got " + rowsPerBatch);
        }
        long count = 0;
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
            writer.start();
            List<ConversationRow> batch = new ArrayList<>(rowsPerBatch);
            while (rows.hasNext()) {
                batch.add(rows.next());
                count++;
                if (batch.size() == rowsPerBatch || !rows.hasNext()) {
                    ConversationVectors.fill(root, batch);
                    writer.writeBatch();
                    batch.clear();
                }
            }
            writer.end();
            channel.force(true);
        }
        MessageDigest digest = Hashing.sha256();
        long bytes = Hashing.digestFile(file, digest, null);
        return new Written(count, Hashing.hex(digest.digest()), bytes);
    }

    /** {@link #write} with the schema of {@code extraColumns}. */
    public static Written write(
            Path file, List<ExtraColumn> extraColumns, Iterator<ConversationRow> rows, int rowsPerBatch)
            throws IOException {
        return write(file, ConversationArrowSchema.schema(extraColumns), rows, rowsPerBatch);
    }

    /**
     * Makes the snapshot of the parts in {@code staging} (named {@code part-NNNNN.arrow}, in the
     * order of {@code parts}): writes the manifest, syncs, renames the directory to its derived id
     * in one atomic step and points the dataset's {@code LATEST} at it. When that id exists already
     * with the same manifest, the staging directory is removed and the existing snapshot returned.
     *
     * @throws SnapshotException when a different snapshot already exists under the derived id
     */
    public static DatasetSnapshot publish(
            Path datasetsDir,
            String dataset,
            Path staging,
            List<SnapshotPart> parts,
            SnapshotProvenance provenance,
            Map<String, Long> counts)
            throws IOException {
        long rowCount = parts.stream().mapToLong(SnapshotPart::rows).sum();
        SnapshotManifest manifest = new SnapshotManifest(
                        SnapshotManifest.FORMAT,
                        ConversationArrowSchema.SCHEMA_VERSION,
                        dataset,
                        "",
                        rowCount,
                        Hashing.content(parts),
                        parts,
                        provenance,
                        counts)
                .withDerivedId();
        SnapshotWriter.writeSynced(
                staging.resolve(SnapshotManifest.FILE_NAME), manifest.toJson().getBytes(StandardCharsets.UTF_8));
        SnapshotWriter.syncDirectory(staging);
        Path datasetDir = datasetsDir.resolve(dataset);
        Path target = datasetDir.resolve(manifest.snapshotId());
        if (Files.exists(target)) {
            SnapshotWriter.deleteRecursively(staging);
            return existing(datasetsDir, target, manifest);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
            SnapshotWriter.deleteRecursively(staging);
            return existing(datasetsDir, target, manifest);
        }
        SnapshotWriter.syncDirectory(datasetDir);
        DatasetSnapshot snapshot = DatasetSnapshot.open(target);
        new SnapshotCatalog(datasetsDir).setLatest(dataset, snapshot.id());
        return snapshot;
    }

    private static DatasetSnapshot existing(Path datasetsDir, Path target, SnapshotManifest manifest)
            throws IOException {
        DatasetSnapshot snapshot = DatasetSnapshot.open(target);
        if (!snapshot.manifest().toJson().equals(manifest.toJson())) {
            throw new SnapshotException("snapshot " + target + " already exists with a different manifest than the one"
                    + " just written (content " + snapshot.manifest().contentSha256() + " vs "
                    + manifest.contentSha256() + ")");
        }
        new SnapshotCatalog(datasetsDir).setLatest(manifest.dataset(), snapshot.id());
        return snapshot;
    }
}
