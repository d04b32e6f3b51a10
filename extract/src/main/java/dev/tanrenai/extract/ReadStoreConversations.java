package dev.tanrenai.extract;

import dev.tanrenai.datasets.store.ChangeBatch;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.store.StoredConversation;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads the conversations whose last change is in {@code (from, upTo]} from the conversation store,
 * as envelopes: the sequence range is split into slices that workers read in parallel, each page
 * by page ({@link ConversationStore#readRange}), so every conversation of the cut is read exactly
 * once whatever the runner.
 */
public final class ReadStoreConversations extends PTransform<PBegin, PCollection<Incoming>> {

    private final String jdbcUrl;
    private final long from;
    private final long upTo;
    private final int slices;

    public ReadStoreConversations(String jdbcUrl, long from, long upTo, int slices) {
        if (from < 0 || upTo < from || slices < 1) {
            throw new IllegalArgumentException(
                    "need 0 <= from <= upTo and slices >= 1, got " + from + ", " + upTo + ", " + slices);
        }
        this.jdbcUrl = jdbcUrl;
        this.from = from;
        this.upTo = upTo;
        this.slices = slices;
    }

    @Override
    public PCollection<Incoming> expand(PBegin begin) {
        List<KV<Long, Long>> ranges = new ArrayList<>();
        long span = upTo - from;
        for (int i = 0; i < slices && span > 0; i++) {
            long lo = from + span * i / slices;
            long hi = from + span * (i + 1) / slices;
            if (hi > lo) {
                ranges.add(KV.of(lo, hi));
            }
        }
        return begin.apply(
                        "SequenceSlices", Create.of(ranges).withCoder(KvCoder.of(VarLongCoder.of(), VarLongCoder.of())))
                .apply("Spread", Reshuffle.viaRandomKey())
                .apply("ReadSlice", ParDo.of(new ReadSliceFn(jdbcUrl)));
    }

    /** Reads the conversations of one sequence slice. */
    static final class ReadSliceFn extends DoFn<KV<Long, Long>, Incoming> {
        private static final long serialVersionUID = 1L;
        private static final int PAGE = 500;

        private final String jdbcUrl;
        private transient Database db;

        ReadSliceFn(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
        }

        @Setup
        public void setup() {
            db = Database.open(jdbcUrl);
        }

        @ProcessElement
        public void process(@Element KV<Long, Long> slice, OutputReceiver<Incoming> out) {
            ConversationStore store = new ConversationStore(db);
            long next = slice.getKey();
            while (true) {
                ChangeBatch batch = store.readRange(next, slice.getValue(), PAGE);
                if (batch.isEmpty()) {
                    return;
                }
                for (StoredConversation c : batch.conversations()) {
                    out.output(Incoming.decoded("store:" + c.lastSeq(), c.conversation()));
                }
                next = batch.nextWatermark();
            }
        }
    }
}
