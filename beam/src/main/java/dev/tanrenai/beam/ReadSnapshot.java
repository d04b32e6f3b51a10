package dev.tanrenai.beam;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.snapshot.ConversationRow;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotBatches;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads a dataset snapshot as typed {@link Conversation}s ({@link ConversationCoder}), one Arrow record batch per element: the batch list is
 * made on the driver from the parts' footers, then the batches are redistributed and read by the
 * workers, so the snapshot never passes through the driver's memory. The snapshot directory must
 * be readable by every worker (a shared file system on a cluster).
 */
public final class ReadSnapshot extends PTransform<PBegin, PCollection<Conversation>> {

    private final String dir;
    private final List<SnapshotBatches.BatchRef> batches;

    private ReadSnapshot(DatasetSnapshot snapshot) throws IOException {
        this.dir = snapshot.dir().toAbsolutePath().toString();
        this.batches = SnapshotBatches.list(snapshot);
    }

    public static ReadSnapshot of(DatasetSnapshot snapshot) throws IOException {
        return new ReadSnapshot(snapshot);
    }

    @Override
    public PCollection<Conversation> expand(PBegin begin) {
        return begin.apply(
                        "Batches", Create.of(batches).withCoder(SerializableCoder.of(SnapshotBatches.BatchRef.class)))
                .apply("Spread", Reshuffle.viaRandomKey())
                .apply("ReadBatch", ParDo.of(new ReadBatchFn(dir)))
                .setCoder(ConversationCoder.of());
    }

    static final class ReadBatchFn extends DoFn<SnapshotBatches.BatchRef, Conversation> {
        private static final long serialVersionUID = 1L;
        private final String dir;
        private transient DatasetSnapshot snapshot;

        ReadBatchFn(String dir) {
            this.dir = dir;
        }

        @Setup
        public void setup() throws IOException {
            snapshot = DatasetSnapshot.open(SharedFileSystem.require(Path.of(dir), "the snapshot to read"));
        }

        @ProcessElement
        public void process(@Element SnapshotBatches.BatchRef ref, OutputReceiver<Conversation> out)
                throws IOException {
            for (ConversationRow row : SnapshotBatches.read(snapshot, ref)) {
                out.output(row.conversation());
            }
        }
    }
}
