package dev.tanrenai.datasets.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;

/**
 * Reads the parts of a snapshot one record batch at a time, checking each part's schema and row
 * count against the manifest. Owns its allocator; {@link #close()} fails if Arrow memory leaked.
 */
final class SnapshotRowIterator implements CloseableIterator<ConversationRow> {

    private final Path dir;
    private final SnapshotManifest manifest;
    private final BufferAllocator allocator = new RootAllocator();
    private final Deque<ConversationRow> buffered = new ArrayDeque<>();
    private int nextPart;
    private FileChannel channel;
    private ArrowFileReader reader;
    private Path currentFile;
    private long currentRows;
    private boolean closed;

    SnapshotRowIterator(Path dir, SnapshotManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        try {
            while (buffered.isEmpty()) {
                if (reader == null) {
                    if (nextPart == manifest.parts().size()) {
                        return false;
                    }
                    openPart();
                }
                if (reader.loadNextBatch()) {
                    try {
                        buffered.addAll(ConversationVectors.read(reader.getVectorSchemaRoot()));
                    } catch (IllegalArgumentException e) {
                        throw new SnapshotCorruptedException(
                                currentFile + ": batch after " + currentRows + " rows, " + e.getMessage(), e);
                    }
                    currentRows += reader.getVectorSchemaRoot().getRowCount();
                } else {
                    finishPart();
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + currentFile, e);
        }
    }

    @Override
    public ConversationRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows in snapshot " + manifest.snapshotId());
        }
        return buffered.removeFirst();
    }

    private void openPart() throws IOException {
        SnapshotPart part = manifest.parts().get(nextPart);
        currentFile = dir.resolve(part.file());
        currentRows = 0;
        channel = FileChannel.open(currentFile, StandardOpenOption.READ);
        reader = new ArrowFileReader(channel, allocator);
        ConversationArrowSchema.extraColumnsOf(reader.getVectorSchemaRoot().getSchema(), currentFile.toString());
    }

    private void finishPart() throws IOException {
        long expected = manifest.parts().get(nextPart).rows();
        closePart();
        if (currentRows != expected) {
            throw new SnapshotCorruptedException(
                    currentFile + ": holds " + currentRows + " rows, manifest expects " + expected);
        }
        nextPart++;
    }

    private void closePart() throws IOException {
        try {
            if (reader != null) {
                reader.close();
            }
        } finally {
            reader = null;
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffered.clear();
        try {
            closePart();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + currentFile, e);
        } finally {
            allocator.close();
        }
    }
}
