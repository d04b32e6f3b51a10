package dev.tanrenai.datasets.snapshot;

import dev.tanrenai.datasets.Conversation;
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
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Streams conversations into a new immutable {@link DatasetSnapshot} at {@code
 * <datasetsDir>/<dataset>/<snapshotId>/}. Rows go into Arrow IPC file parts of fixed-size record
 * batches; everything is written into a hidden temp directory, synced, and renamed into place in one
 * atomic step, so a crash never leaves a half snapshot under a snapshot id. Writing the same rows with
 * the same provenance again gives byte-identical files and returns the existing snapshot. After
 * success the dataset's {@code LATEST} pointer names the snapshot (see {@link SnapshotCatalog}).
 */
public final class SnapshotWriter {

    /**
     * Layout limits.
     *
     * @param rowsPerBatch rows per Arrow record batch (the last batch of a part may be shorter)
     * @param maxRowsPerPart rows per part file before a new part starts
     */
    public record Options(int rowsPerBatch, long maxRowsPerPart) {
        public static final Options DEFAULTS = new Options(1024, 1L << 20);

        public Options {
            if (rowsPerBatch <= 0) {
                throw new IllegalArgumentException("rowsPerBatch must be > 0, got " + rowsPerBatch);
            }
            if (maxRowsPerPart <= 0) {
                throw new IllegalArgumentException("maxRowsPerPart must be > 0, got " + maxRowsPerPart);
            }
        }
    }

    private final Options options;

    public SnapshotWriter() {
        this(Options.DEFAULTS);
    }

    public SnapshotWriter(Options options) {
        this.options = java.util.Objects.requireNonNull(options, "options");
    }

    /** Writes conversations without extra columns. See {@link #writeRows}. */
    public DatasetSnapshot write(
            Path datasetsDir,
            String datasetName,
            Iterator<Conversation> rows,
            SnapshotProvenance provenance,
            Map<String, Long> counts)
            throws IOException {
        Iterator<ConversationRow> wrapped = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public ConversationRow next() {
                return ConversationRow.of(rows.next());
            }
        };
        return writeRows(datasetsDir, datasetName, List.of(), wrapped, provenance, counts);
    }

    /**
     * Writes rows with the given extra columns, consuming {@code rows} once and holding at most one
     * record batch in memory.
     *
     * @throws IllegalArgumentException when a row cannot be stored (names the conversation)
     * @throws SnapshotException when a different snapshot already exists under the derived id
     * @throws SnapshotCorruptedException when an existing snapshot with the derived id is damaged
     */
    public DatasetSnapshot writeRows(
            Path datasetsDir,
            String datasetName,
            List<ExtraColumn> extraColumns,
            Iterator<ConversationRow> rows,
            SnapshotProvenance provenance,
            Map<String, Long> counts)
            throws IOException {
        SnapshotManifest.requireDatasetName(datasetName);
        Schema schema = ConversationArrowSchema.schema(extraColumns);
        Path datasetDir = datasetsDir.resolve(datasetName);
        Files.createDirectories(datasetDir);
        Path temp = Files.createTempDirectory(datasetDir, ".tmp-");
        boolean moved = false;
        Throwable failure = null;
        try {
            MessageDigest content = Hashing.sha256();
            List<SnapshotPart> parts = writeParts(temp, schema, rows, content);
            long rowCount = parts.stream().mapToLong(SnapshotPart::rows).sum();
            SnapshotManifest manifest = new SnapshotManifest(
                            SnapshotManifest.FORMAT,
                            ConversationArrowSchema.SCHEMA_VERSION,
                            datasetName,
                            "",
                            rowCount,
                            Hashing.hex(content.digest()),
                            parts,
                            provenance,
                            counts)
                    .withDerivedId();
            writeSynced(
                    temp.resolve(SnapshotManifest.FILE_NAME), manifest.toJson().getBytes(StandardCharsets.UTF_8));
            syncDirectory(temp);
            Path target = datasetDir.resolve(manifest.snapshotId());
            if (Files.exists(target)) {
                return existing(datasetsDir, target, manifest);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                return existing(datasetsDir, target, manifest);
            }
            syncDirectory(datasetDir);
            DatasetSnapshot snapshot = DatasetSnapshot.open(target);
            new SnapshotCatalog(datasetsDir).setLatest(datasetName, snapshot.id());
            return snapshot;
        } catch (RuntimeException | IOException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (!moved) {
                removeTemp(temp, failure);
            }
        }
    }

    /** Deletes the temp directory; a cleanup failure never hides the write failure that caused it. */
    private static void removeTemp(Path temp, Throwable failure) throws IOException {
        try {
            deleteRecursively(temp);
        } catch (IOException cleanup) {
            if (failure == null) {
                throw cleanup;
            }
            failure.addSuppressed(cleanup);
        }
    }

    private List<SnapshotPart> writeParts(
            Path dir, Schema schema, Iterator<ConversationRow> rows, MessageDigest content) throws IOException {
        List<SnapshotPart> parts = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            do {
                String fileName = SnapshotPart.fileName(parts.size());
                Path file = dir.resolve(fileName);
                long partRows = 0;
                try (FileChannel channel =
                                FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                        ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
                    writer.start();
                    List<ConversationRow> batch = new ArrayList<>(options.rowsPerBatch());
                    while (rows.hasNext() && partRows < options.maxRowsPerPart()) {
                        batch.add(rows.next());
                        partRows++;
                        if (batch.size() == options.rowsPerBatch()
                                || partRows == options.maxRowsPerPart()
                                || !rows.hasNext()) {
                            ConversationVectors.fill(root, batch);
                            writer.writeBatch();
                            batch.clear();
                        }
                    }
                    writer.end();
                    channel.force(true);
                }
                MessageDigest partDigest = Hashing.sha256();
                long bytes = Hashing.digestFile(file, partDigest, content);
                parts.add(new SnapshotPart(fileName, partRows, Hashing.hex(partDigest.digest()), bytes));
            } while (rows.hasNext());
        }
        return parts;
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

    static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
