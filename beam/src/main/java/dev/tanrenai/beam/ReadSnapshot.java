package dev.tanrenai.beam;

import dev.tanrenai.datasets.format.Envelope;
import dev.tanrenai.datasets.snapshot.ConversationRow;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotBatches;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads a dataset snapshot as envelopes, one Arrow record batch per element: the batch list is
 * made on the driver from the parts' footers, then the batches are redistributed and read by the
 * workers, so the snapshot never passes through the driver's memory. The snapshot directory must
 * be readable by every worker (a shared file system on a cluster).
 */
public final class ReadSnapshot extends PTransform<PBegin, PCollection<String>> {

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
    public PCollection<String> expand(PBegin begin) {
        return begin.apply(
                        "Batches", Create.of(batches).withCoder(SerializableCoder.of(SnapshotBatches.BatchRef.class)))
                .apply("Spread", Reshuffle.viaRandomKey())
                .apply("ReadBatch", ParDo.of(new ReadBatchFn(dir)))
                .setCoder(StringUtf8Coder.of());
    }

    static final class ReadBatchFn extends DoFn<SnapshotBatches.BatchRef, String> {
        private static final long serialVersionUID = 1L;
        private final String dir;
        private transient DatasetSnapshot snapshot;

        ReadBatchFn(String dir) {
            this.dir = dir;
        }

        @Setup
        public void setup() throws IOException {
            snapshot = DatasetSnapshot.open(Path.of(dir));
        }

        @ProcessElement
        public void process(@Element SnapshotBatches.BatchRef ref, OutputReceiver<String> out) throws IOException {
            for (ConversationRow row : SnapshotBatches.read(snapshot, ref)) {
                out.output(Envelope.of(row.conversation(), "snapshot:" + snapshot.id()));
            }
        }
    }
}
