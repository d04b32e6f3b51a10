package dev.tanrenai.datasets.snapshot;

import dev.tanrenai.datasets.Conversation;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;

/**
 * An immutable, verified snapshot of a conversation dataset: the directory {@code
 * <datasetsDir>/<dataset>/<snapshotId>/} with {@code manifest.json} and {@code part-NNNNN.arrow}
 * files. {@link #open} checks the manifest and every part's size and SHA-256 before anything is read.
 */
public final class DatasetSnapshot {

    private final Path dir;
    private final SnapshotManifest manifest;

    private DatasetSnapshot(Path dir, SnapshotManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * Opens and verifies the snapshot in {@code dir}.
     *
     * @throws SnapshotCorruptedException when the manifest is missing or malformed, does not match
     *     the directory or its own content, or a part is missing, has another size or SHA-256
     */
    public static DatasetSnapshot open(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Path manifestFile = dir.resolve(SnapshotManifest.FILE_NAME);
        String json;
        try {
            json = Files.readString(manifestFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SnapshotCorruptedException(manifestFile + ": manifest is missing", e);
        }
        SnapshotManifest manifest = ManifestJson.parse(json, manifestFile.toString());
        String dirName = dir.getFileName().toString();
        if (!manifest.snapshotId().equals(dirName)) {
            throw new SnapshotCorruptedException(manifestFile + ": field 'snapshotId' is '" + manifest.snapshotId()
                    + "' but the directory is named '" + dirName + "'");
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !manifest.dataset().equals(parent.getFileName().toString())) {
            throw new SnapshotCorruptedException(manifestFile + ": field 'dataset' is '" + manifest.dataset()
                    + "' but the snapshot lies under '" + parent.getFileName() + "'");
        }
        String derived = manifest.deriveId();
        if (!derived.equals(manifest.snapshotId())) {
            throw new SnapshotCorruptedException(manifestFile + ": field 'snapshotId' is '" + manifest.snapshotId()
                    + "' but the manifest content derives '" + derived + "' (the manifest was edited)");
        }
        verifyParts(dir, manifest);
        return new DatasetSnapshot(dir, manifest);
    }

    private static void verifyParts(Path dir, SnapshotManifest manifest) throws IOException {
        for (SnapshotPart part : manifest.parts()) {
            Path file = dir.resolve(part.file());
            if (!Files.isRegularFile(file)) {
                throw new SnapshotCorruptedException(file + ": part listed in the manifest is missing");
            }
            long size = Files.size(file);
            if (size != part.bytes()) {
                throw new SnapshotCorruptedException(file + ": size is " + size + " bytes, manifest expects "
                        + part.bytes() + " (truncated or overwritten)");
            }
            MessageDigest digest = Hashing.sha256();
            Hashing.digestFile(file, digest, null);
            String actual = Hashing.hex(digest.digest());
            if (!actual.equals(part.sha256())) {
                throw new SnapshotCorruptedException(
                        file + ": SHA-256 mismatch, expected " + part.sha256() + ", actual " + actual);
            }
        }
        String actualContent = Hashing.content(manifest.parts());
        if (!actualContent.equals(manifest.contentSha256())) {
            throw new SnapshotCorruptedException(dir.resolve(SnapshotManifest.FILE_NAME)
                    + ": field 'contentSha256' is " + manifest.contentSha256() + " but the parts hash to "
                    + actualContent);
        }
    }

    public String id() {
        return manifest.snapshotId();
    }

    public Path dir() {
        return dir;
    }

    public SnapshotManifest manifest() {
        return manifest;
    }

    public long rowCount() {
        return manifest.rowCount();
    }

    /** The extra columns recorded in the parts' Arrow schema (the first part's; all are checked on read). */
    public List<ExtraColumn> extraColumns() throws IOException {
        Path file = dir.resolve(manifest.parts().get(0).file());
        try (BufferAllocator allocator = new RootAllocator();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            return ConversationArrowSchema.extraColumnsOf(
                    reader.getVectorSchemaRoot().getSchema(), file.toString());
        }
    }

    /** Streams the conversations in order; close the iterator (try-with-resources). */
    public CloseableIterator<Conversation> read() {
        SnapshotRowIterator rows = new SnapshotRowIterator(dir, manifest);
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Conversation next() {
                return rows.next().conversation();
            }

            @Override
            public void close() {
                rows.close();
            }
        };
    }

    /** Streams the rows with their extra column values, in order; close the iterator. */
    public CloseableIterator<ConversationRow> readRows() {
        return new SnapshotRowIterator(dir, manifest);
    }

    /** The conversations as a sequential stream that must be closed (try-with-resources). */
    public Stream<Conversation> stream() {
        CloseableIterator<Conversation> iterator = read();
        return StreamSupport.stream(
                        Spliterators.spliterator(
                                iterator, manifest.rowCount(), Spliterator.ORDERED | Spliterator.NONNULL),
                        false)
                .onClose(iterator::close);
    }

    @Override
    public String toString() {
        return "DatasetSnapshot[" + manifest.dataset() + "/" + id() + ", " + rowCount() + " rows]";
    }
}
