package dev.tanrenai.datasets.snapshot;

import dev.tanrenai.datasets.Conversation;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
        Path temp = SnapshotParts.staging(datasetsDir, datasetName);
        boolean done = false;
        Throwable failure = null;
        try {
            List<SnapshotPart> parts = writeParts(temp, schema, rows);
            DatasetSnapshot snapshot = SnapshotParts.publish(datasetsDir, datasetName, temp, parts, provenance, counts);
            done = true;
            return snapshot;
        } catch (RuntimeException | IOException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (!done) {
                removeTemp(temp, failure);
            }
        }
    }

    /** Deletes the temp directory; a cleanup failure never hides the write failure that caused it. */
    static void removeTemp(Path temp, Throwable failure) throws IOException {
        try {
            deleteRecursively(temp);
        } catch (IOException cleanup) {
            if (failure == null) {
                throw cleanup;
            }
            failure.addSuppressed(cleanup);
        }
    }

    private List<SnapshotPart> writeParts(Path dir, Schema schema, Iterator<ConversationRow> rows) throws IOException {
        List<SnapshotPart> parts = new ArrayList<>();
        do {
            String fileName = SnapshotPart.fileName(parts.size());
            Iterator<ConversationRow> limited = new Iterator<>() {
                long taken;

                @Override
                public boolean hasNext() {
                    return taken < options.maxRowsPerPart() && rows.hasNext();
                }

                @Override
                public ConversationRow next() {
                    taken++;
                    return rows.next();
                }
            };
            SnapshotParts.Written w =
                    SnapshotParts.write(dir.resolve(fileName), schema, limited, options.rowsPerBatch());
            parts.add(new SnapshotPart(fileName, w.rows(), w.sha256(), w.bytes()));
        } while (rows.hasNext());
        return parts;
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

    static void deleteRecursively(Path dir) throws IOException {
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
