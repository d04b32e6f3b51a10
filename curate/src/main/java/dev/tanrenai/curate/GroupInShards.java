package dev.tanrenai.curate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
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
                .setCoder(KvCoder.of(VarIntCoder.of(), coder))
                .apply("GroupShard", GroupByKey.create())
                .apply("GroupByKeyInShard", ParDo.of(new GroupFn<K, V>()))
                .setCoder(KvCoder.of(coder.getKeyCoder(), IterableCoder.of(coder.getValueCoder())));
    }

    static final class ShardFn<K, V> extends DoFn<KV<K, V>, KV<Integer, KV<K, V>>> {
        private static final long serialVersionUID = 1L;
        private final int shards;

        ShardFn(int shards) {
            this.shards = shards;
        }

        @ProcessElement
        public void process(@Element KV<K, V> element, OutputReceiver<KV<Integer, KV<K, V>>> out) {
            out.output(KV.of(Math.floorMod(element.getKey().hashCode(), shards), element));
        }
    }

    static final class GroupFn<K, V> extends DoFn<KV<Integer, Iterable<KV<K, V>>>, KV<K, Iterable<V>>> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element KV<Integer, Iterable<KV<K, V>>> shard, OutputReceiver<KV<K, Iterable<V>>> out) {
            Map<K, List<V>> groups = new HashMap<>();
            for (KV<K, V> e : shard.getValue()) {
                groups.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            }
            groups.forEach((key, values) -> out.output(KV.of(key, values)));
        }
    }
}
