package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/** The near-duplicate steps of {@link Dedupe}: sketching, candidate pairs, and their confirmation. */
final class DedupeSteps {

    /** Conversations not already in the history index: id → element. */
    static final TupleTag<KV<String, Curated>> FRESH = new TupleTag<>() {};
    /** Lookup keys: key → id. */
    static final TupleTag<KV<String, String>> KEYS = new TupleTag<>() {};
    /** Sketches: id → {@link Sketch} bytes. */
    static final TupleTag<KV<String, byte[]>> SKETCHES = new TupleTag<>() {};

    /**
     * A lookup key shared by more members than this is compared as a star: each member against
     * the first {@code ANCHORS} (by id) only, so one huge bucket (a greeting everybody opens with)
     * costs linear, not quadratic, time; clusters still form through the shared anchors.
     */
    static final int ANCHORS = 32;

    private DedupeSteps() {}

    /** Makes each value (a sketch) a {@link Link} for the join by conversation id. */
    static final class TagFn extends DoFn<KV<String, byte[]>, KV<String, Link>> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element KV<String, byte[]> element, OutputReceiver<KV<String, Link>> out) {
            out.output(KV.of(element.getKey(), Link.sketch(element.getValue())));
        }
    }

    /**
     * Sketches each conversation and emits its lookup keys and sketch; drops (and counts) those
     * that repeat one in the history index, whose sketches carry the score {@link Dedupe#TRAINED}
     * so that the batch members clustered with them are dropped too.
     */
    static final class SketchFn extends DoFn<KV<String, Curated>, KV<String, Curated>> {
        private static final long serialVersionUID = 1L;
        private final MinHash minHash;
        private final double threshold;
        private final String historyDir;
        private final ConversationScorer scorer;
        private final Counter history = Metrics.counter(CurateMetrics.NAMESPACE, "duplicates.history");
        private transient HistoryIndex.Matcher matcher;

        SketchFn(MinHash minHash, double threshold, String historyDir, ConversationScorer scorer) {
            this.scorer = scorer;
            this.minHash = minHash;
            this.threshold = threshold;
            this.historyDir = historyDir;
        }

        @Setup
        public void setup() {
            if (historyDir != null) {
                matcher =
                        HistoryIndex.Matcher.open(Path.of(historyDir), minHash).orElse(null);
            }
        }

        @ProcessElement
        public void process(@Element KV<String, Curated> element, MultiOutputReceiver out) throws IOException {
            Conversation c = element.getValue().conversation();
            int[] shingles = MinHash.shingles(MinHash.text(c));
            java.util.OptionalDouble score = Dedupe.guardedScore(scorer, c, out);
            if (score.isEmpty()) {
                return; // in the dead-letter output
            }
            Sketch sketch = new Sketch(c.id(), score.getAsDouble(), shingles);
            String[] keys = minHash.lookupKeys(c, shingles);
            Optional<String> seen = matcher == null ? Optional.empty() : matcher.match(sketch, keys, threshold);
            if (seen.isPresent()) {
                // dropped, but still clustered: its near duplicates in the batch go with it
                history.inc();
                sketch = new Sketch(c.id(), Dedupe.TRAINED, shingles);
            } else {
                out.get(FRESH).output(element);
            }
            for (String key : keys) {
                out.get(KEYS).output(KV.of(key, c.id()));
            }
            out.get(SKETCHES).output(KV.of(c.id(), sketch.encode()));
        }

        @Teardown
        public void teardown() throws IOException {
            if (matcher != null) {
                matcher.close();
                matcher = null;
            }
        }
    }

    /** The pairs (smaller id → larger id) of the conversations sharing a lookup key. */
    static final class CandidatesFn extends DoFn<KV<String, Iterable<String>>, KV<String, Link>> {
        private static final long serialVersionUID = 1L;
        private final Counter capped = Metrics.counter(CurateMetrics.NAMESPACE, "dedupe.capped_buckets");

        @ProcessElement
        public void process(@Element KV<String, Iterable<String>> bucket, OutputReceiver<KV<String, Link>> out) {
            TreeSet<String> sorted = new TreeSet<>();
            bucket.getValue().forEach(sorted::add);
            if (sorted.size() < 2) {
                return;
            }
            if (sorted.size() > ANCHORS) {
                capped.inc();
            }
            List<String> ids = new ArrayList<>(sorted);
            for (int i = 0; i < Math.min(ids.size(), ANCHORS); i++) {
                for (int j = i + 1; j < ids.size(); j++) {
                    out.output(KV.of(ids.get(i), Link.partner(ids.get(j))));
                    out.output(KV.of(ids.get(j), Link.involved()));
                }
            }
        }
    }

    /**
     * For each pair (a, b): a's sketch, keyed by b (each pair once, however many keys it shares);
     * and the own sketch of every conversation in some pair, for the confirming join. The sketches
     * of the others (most conversations) stop here.
     */
    static final class AttachFn extends DoFn<KV<String, Iterable<Link>>, KV<String, Link>> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element KV<String, Iterable<Link>> joined, OutputReceiver<KV<String, Link>> out) {
            byte[] sketch = null;
            boolean involved = false;
            TreeSet<String> partners = new TreeSet<>();
            for (Link link : joined.getValue()) {
                switch (link.kind()) {
                    case SKETCH -> sketch = link.sketch();
                    case INVOLVED -> involved = true;
                    case PARTNER -> partners.add(link.partner());
                    case FIRST ->
                        throw new IllegalStateException(
                                "dedupe: a pair's first sketch reached the attaching join for " + joined.getKey());
                }
            }
            if (partners.isEmpty() && !involved) {
                return;
            }
            if (sketch == null) {
                throw missing(joined.getKey());
            }
            out.output(KV.of(joined.getKey(), Link.sketch(sketch)));
            Link first = Link.first(sketch);
            for (String b : partners) {
                out.output(KV.of(b, first));
            }
        }
    }

    /** Confirms each candidate pair on the exact shingle sets. */
    static final class ConfirmFn extends DoFn<KV<String, Iterable<Link>>, Dedupe.Edge> {
        private static final long serialVersionUID = 1L;
        private final double threshold;
        private final Counter candidates = Metrics.counter(CurateMetrics.NAMESPACE, "dedupe.candidate_pairs");
        private final Counter confirmed = Metrics.counter(CurateMetrics.NAMESPACE, "dedupe.confirmed_pairs");

        ConfirmFn(double threshold) {
            this.threshold = threshold;
        }

        @ProcessElement
        public void process(@Element KV<String, Iterable<Link>> joined, OutputReceiver<Dedupe.Edge> out) {
            byte[] own = null;
            List<byte[]> firsts = new ArrayList<>();
            for (Link link : joined.getValue()) {
                switch (link.kind()) {
                    case SKETCH -> own = link.sketch();
                    case FIRST -> firsts.add(link.sketch());
                    case PARTNER, INVOLVED ->
                        throw new IllegalStateException("dedupe: a " + link.kind()
                                + " link reached the confirming join for " + joined.getKey());
                }
            }
            if (firsts.isEmpty()) {
                return;
            }
            if (own == null) {
                throw missing(joined.getKey());
            }
            Sketch b = Sketch.decode(own, 0);
            for (byte[] encoded : firsts) {
                Sketch a = Sketch.decode(encoded, 0);
                candidates.inc();
                if (a.similar(b, threshold)) {
                    confirmed.inc();
                    out.output(new Dedupe.Edge(a.id(), a.score(), b.id(), b.score()));
                }
            }
        }
    }

    private static IllegalStateException missing(String id) {
        return new IllegalStateException("dedupe: a candidate pair names conversation " + id + ", which has no sketch");
    }
}
