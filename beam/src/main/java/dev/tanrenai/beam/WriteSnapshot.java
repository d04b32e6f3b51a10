package dev.tanrenai.beam;

import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.datasets.snapshot.ConversationRow;
import dev.tanrenai.datasets.snapshot.ExtraColumn;
import dev.tanrenai.datasets.snapshot.SnapshotParts;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableComparator;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The distributed snapshot sink: the workers write the Arrow parts into a staging directory the
 * driver made ({@link SnapshotParts#staging}), each with a small {@code .meta} file (rows, SHA-256,
 * bytes); the driver then publishes the snapshot from those figures ({@link SnapshotSink#publish}),
 * never holding or reading the rows.
 *
 * <p>Deterministic whatever the runner and its parallelism: the number of parts follows from the
 * element count ({@code ceil(count / rowsPerPart)}), a row goes to the part of its id's hash range
 * (the first 64 bits of SHA-256 of the id), and rows are ordered by that hash then id inside a part,
 * so the parts together are in id-hash order and the same input gives byte-identical parts. With a
 * {@code later} order, only the latest element per id is written (all versions of an id meet in one
 * part) and each other one counts as {@code <namespace>/superseded}.
 */
public final class WriteSnapshot<T>
        extends PTransform<PCollection<T>, PCollection<KV<Integer, SnapshotParts.Written>>> {

    /** The counter of parts written (namespace {@link #NAMESPACE}), which the driver checks it can see. */
    public static final String NAMESPACE = "snapshot-sink";

    public static final String PARTS_WRITTEN = "parts_written";
    public static final long DEFAULT_ROWS_PER_PART = 100_000;
    static final int ROWS_PER_BATCH = 1024;

    private final String staging;
    private final List<ExtraColumn> columns;
    private final SerializableFunction<T, ConversationRow> toRow;
    private final SerializableComparator<T> later;
    private final String namespace;
    private final long rowsPerPart;

    private WriteSnapshot(
            Path staging,
            List<ExtraColumn> columns,
            SerializableFunction<T, ConversationRow> toRow,
            SerializableComparator<T> later,
            String namespace,
            long rowsPerPart) {
        if (rowsPerPart < 1) {
            throw new IllegalArgumentException("rows per part must be >= 1, got " + rowsPerPart);
        }
        this.staging = staging.toAbsolutePath().toString();
        this.columns = List.copyOf(columns);
        this.toRow = toRow;
        this.later = later;
        this.namespace = namespace;
        this.rowsPerPart = rowsPerPart;
    }

    /** Writes every element as one row into {@code staging} ({@code toRow} makes it a row). */
    public static <T> WriteSnapshot<T> to(
            Path staging, List<ExtraColumn> columns, SerializableFunction<T, ConversationRow> toRow) {
        return new WriteSnapshot<>(staging, columns, toRow, null, NAMESPACE, DEFAULT_ROWS_PER_PART);
    }

    /** Keeps only the greatest element per id by {@code later}, counting the others in {@code namespace}. */
    public WriteSnapshot<T> latestPerId(SerializableComparator<T> later, String namespace) {
        return new WriteSnapshot<>(Path.of(staging), columns, toRow, later, namespace, rowsPerPart);
    }

    public WriteSnapshot<T> withRowsPerPart(long rowsPerPart) {
        return new WriteSnapshot<>(Path.of(staging), columns, toRow, later, namespace, rowsPerPart);
    }

    /** The first 64 bits of SHA-256 of the id: where a row goes and in which order. */
    public static long idHash(String id) {
        return Long.parseUnsignedLong(
                Sha256.ofBytes(id.getBytes(StandardCharsets.UTF_8)).substring(0, 16), 16);
    }

    /** The part (of {@code parts}) of an id hash: its hash range, so parts in order are in hash order. */
    public static int partOf(long hash, int parts) {
        return (int) (((hash >>> 33) * parts) >>> 31);
    }

    /** Parts for {@code count} rows. */
    static int parts(long count, long rowsPerPart) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, (count + rowsPerPart - 1) / rowsPerPart));
    }

    @Override
    public PCollection<KV<Integer, SnapshotParts.Written>> expand(PCollection<T> input) {
        Coder<T> coder = input.getCoder();
        PCollectionView<Long> total = input.apply("CountRows", Count.globally()).apply("Total", View.asSingleton());
        return input.apply(
                        "ToPart",
                        ParDo.of(new PartFn<T>(toRow, rowsPerPart, total)).withSideInputs(total))
                .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(coder)))
                .apply("GroupPart", GroupByKey.create())
                .apply("WritePart", ParDo.of(new WritePartFn<T>(staging, columns, toRow, later, namespace)))
                .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(SnapshotParts.Written.class)));
    }

    /** Sends each element to its part, in lists per bundle so the shuffle moves few large elements. */
    static final class PartFn<T> extends DoFn<T, KV<Integer, List<T>>> {
        private static final long serialVersionUID = 1L;
        private static final int BATCH = 1024;
        private final SerializableFunction<T, ConversationRow> toRow;
        private final long rowsPerPart;
        private final PCollectionView<Long> total;
        private transient Map<Integer, List<T>> buffers;

        PartFn(SerializableFunction<T, ConversationRow> toRow, long rowsPerPart, PCollectionView<Long> total) {
            this.toRow = toRow;
            this.rowsPerPart = rowsPerPart;
            this.total = total;
        }

        @StartBundle
        public void start() {
            buffers = new HashMap<>();
        }

        @ProcessElement
        public void process(ProcessContext ctx) {
            int parts = parts(ctx.sideInput(total), rowsPerPart);
            T element = ctx.element();
            int part = partOf(idHash(toRow.apply(element).conversation().id()), parts);
            List<T> buffer = buffers.computeIfAbsent(part, p -> new ArrayList<>());
            buffer.add(element);
            if (buffer.size() >= BATCH) {
                ctx.output(KV.of(part, buffer));
                buffers.remove(part);
            }
        }

        @FinishBundle
        public void finish(FinishBundleContext ctx) {
            buffers.forEach((part, buffer) ->
                    ctx.output(KV.of(part, buffer), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
            buffers = null;
        }
    }

    /** Writes one part: its rows sorted by id hash then id, as {@code shard-NNNNN.arrow} plus its meta. */
    static final class WritePartFn<T> extends DoFn<KV<Integer, Iterable<List<T>>>, KV<Integer, SnapshotParts.Written>> {
        private static final long serialVersionUID = 1L;
        private final String staging;
        private final List<ExtraColumn> columns;
        private final SerializableFunction<T, ConversationRow> toRow;
        private final SerializableComparator<T> later;
        private final Counter written = Metrics.counter(NAMESPACE, PARTS_WRITTEN);
        private final Counter superseded;

        WritePartFn(
                String staging,
                List<ExtraColumn> columns,
                SerializableFunction<T, ConversationRow> toRow,
                SerializableComparator<T> later,
                String namespace) {
            this.staging = staging;
            this.columns = columns;
            this.toRow = toRow;
            this.later = later;
            this.superseded = Metrics.counter(namespace, "superseded");
        }

        @Setup
        public void setup() {
            SharedFileSystem.require(Path.of(staging), "the snapshot staging directory");
        }

        private record Keyed<T>(long hash, String id, T element) implements Serializable {}

        @ProcessElement
        public void process(
                @Element KV<Integer, Iterable<List<T>>> group, OutputReceiver<KV<Integer, SnapshotParts.Written>> out)
                throws IOException {
            List<Keyed<T>> rows = new ArrayList<>();
            for (List<T> batch : group.getValue()) {
                for (T element : batch) {
                    String id = toRow.apply(element).conversation().id();
                    rows.add(new Keyed<>(idHash(id), id, element));
                }
            }
            rows.sort((a, b) -> {
                int byHash = Long.compareUnsigned(a.hash(), b.hash());
                return byHash != 0 ? byHash : a.id().compareTo(b.id());
            });
            List<T> kept = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                T element = rows.get(i).element();
                if (later != null
                        && !kept.isEmpty()
                        && rows.get(i - 1).id().equals(rows.get(i).id())) {
                    T previous = kept.get(kept.size() - 1);
                    if (later.compare(element, previous) > 0) {
                        kept.set(kept.size() - 1, element);
                    }
                    superseded.inc();
                    continue;
                }
                kept.add(element);
            }
            rows = null;
            int part = group.getKey();
            Path dir = Path.of(staging);
            Path file = dir.resolve(SnapshotSink.shardFile(part));
            Path temp = dir.resolve(SnapshotSink.shardFile(part) + ".inprogress-" + java.util.UUID.randomUUID());
            Iterator<T> source = kept.iterator();
            SnapshotParts.Written w = SnapshotParts.write(
                    temp,
                    columns,
                    new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return source.hasNext();
                        }

                        @Override
                        public ConversationRow next() {
                            return toRow.apply(source.next());
                        }
                    },
                    ROWS_PER_BATCH);
            // a retried bundle writes the same bytes again: the rename replaces them whole
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            SnapshotSink.writeMeta(dir, part, w);
            written.inc();
            out.output(KV.of(part, w));
        }
    }
}
