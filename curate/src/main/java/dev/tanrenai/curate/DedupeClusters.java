package dev.tanrenai.curate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/** The clustering steps of {@link Dedupe}: confirmed pairs to clusters, and each cluster's keeper. */
final class DedupeClusters {

    /** The keeper of a cluster holding a conversation already trained on: none. */
    static final String TRAINED_CLUSTER = "\u0000trained";

    private DedupeClusters() {}

    @SuppressWarnings("unchecked")
    static <T> Class<T> cast(Class<?> c) {
        return (Class<T>) c;
    }

    /**
     * Union-find over the confirmed pairs: member id → the id its cluster keeps (best score, then
     * smallest id) and the cluster's size, as {@code keeper TAB size}; or {@link #TRAINED_CLUSTER}
     * when a member repeats a conversation already trained on, which drops the whole cluster. The pairs are few (one per
     * duplicate, not per conversation), so one combiner holds them all.
     */
    static final class ClustersFn
            extends Combine.CombineFn<Dedupe.Edge, ArrayList<Dedupe.Edge>, HashMap<String, String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public ArrayList<Dedupe.Edge> createAccumulator() {
            return new ArrayList<>();
        }

        @Override
        public ArrayList<Dedupe.Edge> addInput(ArrayList<Dedupe.Edge> acc, Dedupe.Edge e) {
            acc.add(e);
            return acc;
        }

        @Override
        public ArrayList<Dedupe.Edge> mergeAccumulators(Iterable<ArrayList<Dedupe.Edge>> accs) {
            ArrayList<Dedupe.Edge> all = new ArrayList<>();
            accs.forEach(all::addAll);
            return all;
        }

        @Override
        public HashMap<String, String> extractOutput(ArrayList<Dedupe.Edge> edges) {
            Map<String, String> parent = new HashMap<>();
            Map<String, Double> scores = new HashMap<>();
            for (Dedupe.Edge e : edges) {
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
            Map<String, Boolean> trained = new HashMap<>();
            for (String id : scores.keySet()) {
                if (scores.get(id) == Dedupe.TRAINED) {
                    trained.put(find(parent, id), true);
                }
            }
            HashMap<String, String> keeper = new HashMap<>();
            for (String id : scores.keySet()) {
                String root = find(parent, id);
                keeper.put(id, trained.containsKey(root) ? TRAINED_CLUSTER : best.get(root) + "\t" + size.get(root));
            }
            return keeper;
        }

        private static String find(Map<String, String> parent, String x) {
            String root = x;
            while (parent.containsKey(root) && !parent.get(root).equals(root)) {
                root = parent.get(root);
            }
            String node = x;
            while (!node.equals(root)) { // path compression
                String next = parent.get(node);
                parent.put(node, root);
                node = next;
            }
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

    /**
     * Passes conversations outside any near-duplicate cluster unchanged, the keeper of each cluster
     * with its {@code cluster_size} (near members plus exact copies), and counts the rest.
     */
    static final class FilterFn extends DoFn<KV<String, Curated>, Curated> {
        private static final long serialVersionUID = 1L;
        private final PCollectionView<Map<String, String>> keepers;

        FilterFn(PCollectionView<Map<String, String>> keepers) {
            this.keepers = keepers;
        }

        @ProcessElement
        public void process(ProcessContext ctx) {
            String id = ctx.element().getKey();
            Curated element = ctx.element().getValue();
            String keeper = ctx.sideInput(keepers).get(id);
            if (keeper == null) {
                ctx.output(element);
                return;
            }
            if (keeper.equals(TRAINED_CLUSTER)) {
                Metrics.counter(CurateMetrics.NAMESPACE, "duplicates.history").inc();
                return;
            }
            String[] parts = keeper.split("\t");
            if (parts[0].equals(id)) {
                long size = Long.parseLong(parts[1]) + element.exactCopies() - 1;
                ctx.output(element.withCopies(element.exactCopies(), size));
            } else {
                Metrics.counter(CurateMetrics.NAMESPACE, "duplicates.near").inc();
            }
        }
    }
}
