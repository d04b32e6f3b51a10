package dev.tanrenai.datasets.snapshot;

import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/**
 * A snapshot's Arrow record batches as independent units of work, so a pipeline reads a snapshot
 * in parallel (one batch per element) instead of on the driver. Each read opens the part file,
 * seeks to the batch through the file's footer and copies its rows out, so no Arrow memory
 * outlives the call.
 */
public final class SnapshotBatches {

    /** One record batch: the part's index in the manifest and the batch's index in the part. */
    public record BatchRef(int part, int batch) implements Serializable {
        public BatchRef {
            if (part < 0 || batch < 0) {
                throw new IllegalArgumentException("part and batch must be >= 0, got " + part + "/" + batch);
            }
        }
    }

    private SnapshotBatches() {}

    /** Every record batch of the snapshot, in order. */
    public static List<BatchRef> list(DatasetSnapshot snapshot) throws IOException {
        List<BatchRef> out = new ArrayList<>();
        List<SnapshotPart> parts = snapshot.manifest().parts();
        for (int p = 0; p < parts.size(); p++) {
            Path file = snapshot.dir().resolve(parts.get(p).file());
            try (BufferAllocator allocator = new RootAllocator();
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                    ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
                int blocks = reader.getRecordBlocks().size();
                for (int b = 0; b < blocks; b++) {
                    out.add(new BatchRef(p, b));
                }
            } catch (IOException | RuntimeException e) {
                throw new SnapshotCorruptedException(
                        file + ": cannot read the Arrow footer (" + e.getMessage() + ")", e);
            }
        }
        return out;
    }

    /** The rows of one record batch. */
    public static List<ConversationRow> read(DatasetSnapshot snapshot, BatchRef ref) throws IOException {
        List<SnapshotPart> parts = snapshot.manifest().parts();
        if (ref.part() >= parts.size()) {
            throw new IllegalArgumentException(
                    "snapshot " + snapshot.id() + " has " + parts.size() + " parts, asked for part " + ref.part());
        }
        Path file = snapshot.dir().resolve(parts.get(ref.part()).file());
        try (BufferAllocator allocator = new RootAllocator();
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            List<ArrowBlock> blocks = reader.getRecordBlocks();
            if (ref.batch() >= blocks.size()) {
                throw new SnapshotCorruptedException(
                        file + ": has " + blocks.size() + " record batches, asked for batch " + ref.batch());
            }
            ConversationArrowSchema.extraColumnsOf(reader.getVectorSchemaRoot().getSchema(), file.toString());
            if (!reader.loadRecordBatch(blocks.get(ref.batch()))) {
                throw new SnapshotCorruptedException(file + ": record batch " + ref.batch() + " does not load");
            }
            try {
                return ConversationVectors.read(reader.getVectorSchemaRoot());
            } catch (IllegalArgumentException e) {
                throw new SnapshotCorruptedException(file + ": record batch " + ref.batch() + ", " + e.getMessage(), e);
            }
        }
    }
}
