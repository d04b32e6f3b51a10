package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.provenance.Sha256;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Removes exact duplicates (same normalized text) and near duplicates (Jaccard similarity of
 * character 5-gram shingles at least the threshold, found by {@link MinHash} LSH banding and
 * confirmed on the exact shingle sets), including a conversation contained in another (an earlier
 * state of the same multi-turn conversation). Each cluster keeps its best-scored member, annotated
 * with {@code cluster_size}; the rest are counted ({@code curate/duplicates.exact},
 * {@code curate/duplicates.near}).
 */
public final class Dedupe extends PTransform<PCollection<String>, PCollection<String>> {

    private final double threshold;
    private final MinHash minHash;

    public Dedupe(double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("dedupe threshold must be in (0, 1], got " + threshold);
        }
        this.threshold = threshold;
        this.minHash = MinHash.defaults();
    }

    /** What a cluster member contributes: enough to compare and to choose the keeper. */
    record Sketch(String id, double score, long[] signature, long[] shingles) implements Serializable {
        @Override
        public boolean equals(Object o) {
            return o instanceof Sketch s
                    && id.equals(s.id)
                    && Double.compare(score, s.score) == 0
                    && java.util.Arrays.equals(signature, s.signature)
                    && java.util.Arrays.equals(shingles, s.shingles);
        }

        @Override
        public int hashCode() {
            return id.hashCode() * 31 + java.util.Arrays.hashCode(signature);
        }

        @Override
        public String toString() {
            return "Sketch[" + id + ", " + shingles.length + " shingles]";
        }
    }

    /** A confirmed similar pair: both members and their scores. */
    record Edge(String a, double scoreA, String b, double scoreB) implements Serializable {}

    @Override
    public PCollection<String> expand(PCollection<String> input) {
        PCollection<String> distinct = input.apply("ByExactText", ParDo.of(new ExactKeyFn()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
                .apply("GroupExact", GroupByKey.create())
                .apply("KeepBestExact", ParDo.of(new KeepBestFn()));
        PCollection<KV<String, String>> bands = distinct.apply("Sketch", ParDo.of(new BandFn(minHash)))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
        PCollection<Edge> edges = bands.apply("GroupBands", GroupByKey.create())
                .apply("ConfirmPairs", ParDo.of(new PairsFn(threshold)))
                .setCoder(SerializableCoder.of(Edge.class));
        PCollectionView<Map<String, String>> keepers = edges.apply("Clusters", Combine.globally(new ClustersFn()))
                .setCoder(SerializableCoder.of(cast(HashMap.class)))
                .apply("Keepers", ParDo.of(new ExplodeFn()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
                .apply("AsMap", View.asMap());
        return distinct.apply("KeepBestNear", ParDo.of(new FilterFn(keepers)).withSideInputs(keepers));
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> cast(Class<?> c) {
        return (Class<T>) c;
    }

    static final class ExactKeyFn extends DoFn<String, KV<String, String>> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element String envelope, OutputReceiver<KV<String, String>> out) {
            Conversation c = Curated.conversation(envelope);
            out.output(KV.of(Sha256.ofBytes(MinHash.text(c).getBytes(StandardCharsets.UTF_8)), envelope));
        }
    }

    static final class KeepBestFn extends DoFn<KV<String, Iterable<String>>, String> {
        private static final long serialVersionUID = 1L;
        private final QualityScorer scorer = new QualityScorer();

        @ProcessElement
        public void process(@Element KV<String, Iterable<String>> group, OutputReceiver<String> out) {
            // decode and score each member once, then keep the best (highest score, then smallest id)
            String best = null;
            double bestScore = 0;
            String bestId = null;
            int members = 0;
            for (String envelope : group.getValue()) {
                members++;
                Conversation c = Curated.conversation(envelope);
                double s = scorer.score(c, 1).value();
                if (best == null || s > bestScore || (s == bestScore && c.id().compareTo(bestId) < 0)) {
                    best = envelope;
                    bestScore = s;
                    bestId = c.id();
                }
            }
            if (members > 1) {
                Metrics.counter(CurateMetrics.NAMESPACE, "duplicates.exact").inc(members - 1);
            }
            out.output(Curated.with(
                    best, "exact_copies", Curated.json().getNodeFactory().numberNode(members)));
        }
    }

    static final class BandFn extends DoFn<String, KV<String, String>> {
        private static final long serialVersionUID = 1L;
        private final MinHash minHash;
        private final QualityScorer scorer = new QualityScorer();

        BandFn(MinHash minHash) {
            this.minHash = minHash;
        }

        @ProcessElement
        public void process(@Element String envelope, OutputReceiver<KV<String, String>> out) {
            Conversation c = Curated.conversation(envelope);
            Set<Long> shingles = MinHash.shingles(MinHash.text(c));
            long[] signature = minHash.signature(shingles);
            Sketch sketch = new Sketch(
                    c.id(),
                    scorer.score(c, 1).value(),
                    signature,
                    shingles.stream().mapToLong(Long::longValue).sorted().toArray());
            String encoded = encode(sketch);
            for (String key : minHash.bandKeys(signature)) {
                out.output(KV.of(key, encoded));
            }
        }
    }

    /** A sketch as one compact string ({@code id TAB score TAB hex shingles}): Beam moves strings fast. */
    static String encode(Sketch s) {
        StringBuilder sb =
                new StringBuilder(s.id()).append('\t').append(s.score()).append('\t');
        for (long x : s.shingles()) {
            sb.append(Long.toHexString(x)).append(',');
        }
        return sb.toString();
    }

    static Sketch decode(String s) {
        String[] parts = s.split("\t", 3);
        String[] hex = parts[2].isEmpty() ? new String[0] : parts[2].split(",");
        long[] shingles = new long[hex.length];
        for (int i = 0; i < hex.length; i++) {
            shingles[i] = Long.parseUnsignedLong(hex[i], 16);
        }
        return new Sketch(parts[0], Double.parseDouble(parts[1]), new long[0], shingles);
    }

    static final class PairsFn extends DoFn<KV<String, Iterable<String>>, Edge> {
        private static final long serialVersionUID = 1L;
        private final double threshold;

        PairsFn(double threshold) {
            this.threshold = threshold;
        }

        @ProcessElement
        public void process(@Element KV<String, Iterable<String>> band, OutputReceiver<Edge> out) {
            List<String> encoded = new ArrayList<>();
            band.getValue().forEach(encoded::add);
            if (encoded.size() < 2) {
                return;
            }
            List<Sketch> members = new ArrayList<>();
            encoded.forEach(e -> members.add(decode(e)));
            members.sort(Comparator.comparing(Sketch::id));
            for (int i = 0; i < members.size(); i++) {
                Set<Long> a = set(members.get(i).shingles());
                for (int j = i + 1; j < members.size(); j++) {
                    Set<Long> b = set(members.get(j).shingles());
                    boolean similar = MinHash.jaccard(a, b) >= threshold
                            || MinHash.containment(a, b) >= threshold
                            || MinHash.containment(b, a) >= threshold;
                    if (similar) {
                        Sketch x = members.get(i);
                        Sketch y = members.get(j);
                        out.output(new Edge(x.id(), x.score(), y.id(), y.score()));
                    }
                }
            }
        }

        private static Set<Long> set(long[] values) {
            Set<Long> s = new HashSet<>(values.length * 2);
            for (long v : values) {
                s.add(v);
            }
            return s;
        }
    }

    /** Union-find over the edges: member id -> the id its cluster keeps (best score, then smallest id). */
    static final class ClustersFn extends Combine.CombineFn<Edge, ArrayList<Edge>, HashMap<String, String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public ArrayList<Edge> createAccumulator() {
            return new ArrayList<>();
        }

        @Override
        public ArrayList<Edge> addInput(ArrayList<Edge> acc, Edge e) {
            acc.add(e);
            return acc;
        }

        @Override
        public ArrayList<Edge> mergeAccumulators(Iterable<ArrayList<Edge>> accs) {
            ArrayList<Edge> all = new ArrayList<>();
            accs.forEach(all::addAll);
            return all;
        }

        @Override
        public HashMap<String, String> extractOutput(ArrayList<Edge> edges) {
            Map<String, String> parent = new HashMap<>();
            Map<String, Double> scores = new HashMap<>();
            for (Edge e : edges) {
                scores.put(e.a(), e.scoreA());
                scores.put(e.b(), e.scoreB());
                union(parent, e.a(), e.b());
            }
            Map<String, String> best = new HashMap<>();
            Map<String, Integer> size = new HashMap<>();
            for (String id : scores.keySet()) {
                String root = find(parent, id);
                size.merge(root, 1, Integer::sum);
                String current = best.get(root);
                if (current == null
                        || scores.get(id) > scores.get(current)
                        || (scores.get(id).equals(scores.get(current)) && id.compareTo(current) < 0)) {
                    best.put(root, id);
                }
            }
            HashMap<String, String> keeper = new HashMap<>();
            for (String id : scores.keySet()) {
                String root = find(parent, id);
                keeper.put(id, best.get(root) + "\t" + size.get(root));
            }
            return keeper;
        }

        private static String find(Map<String, String> parent, String x) {
            String p = parent.getOrDefault(x, x);
            if (p.equals(x)) {
                return x;
            }
            String root = find(parent, p);
            parent.put(x, root);
            return root;
        }

        private static void union(Map<String, String> parent, String a, String b) {
            String ra = find(parent, a);
            String rb = find(parent, b);
            if (!ra.equals(rb)) {
                parent.put(ra.compareTo(rb) < 0 ? rb : ra, ra.compareTo(rb) < 0 ? ra : rb);
            }
        }
    }

    /** The cluster map as one entry per member, for a keyed side input. */
    static final class ExplodeFn extends DoFn<HashMap<String, String>, KV<String, String>> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element HashMap<String, String> keepers, OutputReceiver<KV<String, String>> out) {
            keepers.forEach((id, keeper) -> out.output(KV.of(id, keeper)));
        }
    }

    static final class FilterFn extends DoFn<String, String> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<Map<String, String>> keepers;

        FilterFn(PCollectionView<Map<String, String>> keepers) {
            this.keepers = keepers;
        }

        @ProcessElement
        public void process(ProcessContext ctx) {
            String envelope = ctx.element();
            String id = Curated.conversation(envelope).id();
            String keeper = ctx.sideInput(keepers).get(id);
            long exact = Curated.get(envelope, "exact_copies").asLong(1);
            if (keeper == null) {
                ctx.output(Curated.with(
                        envelope,
                        "cluster_size",
                        Curated.json().getNodeFactory().numberNode(exact)));
                return;
            }
            String[] parts = keeper.split("\t");
            if (parts[0].equals(id)) {
                long size = Long.parseLong(parts[1]) + exact - 1;
                ctx.output(Curated.with(
                        envelope,
                        "cluster_size",
                        Curated.json().getNodeFactory().numberNode(size)));
            } else {
                Metrics.counter(CurateMetrics.NAMESPACE, "duplicates.near").inc();
            }
        }
    }
}
