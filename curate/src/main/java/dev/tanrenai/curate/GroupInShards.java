package dev.tanrenai.curate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A {@link GroupByKey} for many small groups: the keys are spread over a fixed number of shards
 * (by the key's {@code hashCode}), each shard is grouped once, and its elements are grouped by key
 * in memory. The output is what {@code GroupByKey} gives. It exists because runners pay per key:
 * the direct runner evaluates every key of a {@code GroupByKey} as its own bundle (about half a
 * millisecond each), which made near-duplicate detection with its 20 band keys per conversation
 * cost 100x the hashing itself. A shard holds about {@code N / shards} elements in memory, so
 * raise the shard count with the data (about one shard per 2,000 conversations on a cluster).
 */
final class GroupInShards<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {

    private final int shards;

    private GroupInShards(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1, got " + shards);
        }
        this.shards = shards;
    }

    static <K, V> GroupInShards<K, V> of(int shards) {
        return new GroupInShards<>(shards);
    }

    @Override
    public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> input) {
        @SuppressWarnings("unchecked")
        KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
        return input.apply("ToShard", ParDo.of(new ShardFn<K, V>(shards)))
                .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(coder)))
                .apply("GroupShard", GroupByKey.create())
                .apply("GroupByKeyInShard", ParDo.of(new GroupFn<K, V>()))
                .setCoder(KvCoder.of(coder.getKeyCoder(), IterableCoder.of(coder.getValueCoder())));
    }

    /**
     * Collects a bundle's elements per shard and emits them as lists of up to {@link #BATCH}, so
     * the shuffle moves a few large elements instead of one per key (the direct runner's per-element
     * cost in a GroupByKey dominated otherwise). Batch pipelines only: the lists are emitted in the
     * global window.
     */
    static final class ShardFn<K, V> extends DoFn<KV<K, V>, KV<Integer, List<KV<K, V>>>> {
        private static final long serialVersionUID = 1L;
        static final int BATCH = 4096;
        private final int shards;
        private transient Map<Integer, List<KV<K, V>>> buffers;

        ShardFn(int shards) {
            this.shards = shards;
        }

        @StartBundle
        public void start() {
            buffers = new HashMap<>();
        }

        @ProcessElement
        public void process(@Element KV<K, V> element, OutputReceiver<KV<Integer, List<KV<K, V>>>> out) {
            int shard = Math.floorMod(element.getKey().hashCode(), shards);
            List<KV<K, V>> buffer = buffers.computeIfAbsent(shard, s -> new ArrayList<>());
            buffer.add(element);
            if (buffer.size() >= BATCH) {
                out.output(KV.of(shard, buffer));
                buffers.remove(shard);
            }
        }

        @FinishBundle
        public void finish(FinishBundleContext ctx) {
            buffers.forEach((shard, buffer) ->
                    ctx.output(KV.of(shard, buffer), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
            buffers = null;
        }
    }

    static final class GroupFn<K, V> extends DoFn<KV<Integer, Iterable<List<KV<K, V>>>>, KV<K, Iterable<V>>> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(
                @Element KV<Integer, Iterable<List<KV<K, V>>>> shard, OutputReceiver<KV<K, Iterable<V>>> out) {
            Map<K, List<V>> groups = new HashMap<>();
            for (List<KV<K, V>> batch : shard.getValue()) {
                for (KV<K, V> e : batch) {
                    groups.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                }
            }
            groups.forEach((key, values) -> out.output(KV.of(key, values)));
        }
    }
}
