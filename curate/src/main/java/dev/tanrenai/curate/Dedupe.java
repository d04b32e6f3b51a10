package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.provenance.Sha256;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Removes exact duplicates (same normalized text) and near duplicates (Jaccard similarity of
 * character 5-gram shingles at least the threshold, found by {@link MinHash} LSH banding and
 * confirmed on the exact shingle sets), including a conversation contained in another (an earlier
 * state of the same multi-turn conversation, found through its opening key), within the batch and
 * against the {@link HistoryIndex} of everything already trained on. Each cluster keeps its
 * best-scored member, annotated with {@code cluster_size}; the rest are counted
 * ({@code curate/duplicates.exact}, {@code curate/duplicates.near}, {@code curate/duplicates.history}).
 *
 * <p>Steps: group by exact text and keep the best; sketch each survivor (shingles, quality score,
 * lookup keys), dropping those the history index already holds; group by lookup key into candidate
 * pairs; join each pair with both sketches and confirm it exactly; cluster the confirmed pairs
 * (union-find over the few edges); keep each cluster's best member. Only ids and sketches cross
 * the shuffles of the near-duplicate steps, never whole conversations.
 */
public final class Dedupe extends PTransform<PCollection<Curated>, PCollectionTuple> {

    private final double threshold;
    private final String historyDir;
    private final MinHash minHash = MinHash.defaults();
    private final int shards;
    private final ConversationScorer scorer;

    /** Shards of the grouping steps ({@link GroupInShards}) unless set otherwise. */
    public static final int DEFAULT_SHARDS = 16;

    /** Deduplicates within the batch only. */
    public Dedupe(double threshold) {
        this(threshold, null);
    }

    /** Deduplicates within the batch and against the history index at {@code historyDir} (null: none). */
    public Dedupe(double threshold, Path historyDir) {
        this(threshold, historyDir, DEFAULT_SHARDS);
    }

    /**
     * Deduplicates within the batch and against the history index at {@code historyDir} (null:
     * none), grouping in {@code shards} shards ({@link GroupInShards}).
     */
    public Dedupe(double threshold, Path historyDir, int shards) {
        this(threshold, historyDir, shards, new QualityScorer());
    }

    /**
     * As {@link #Dedupe(double, Path, int)}, keeping the member of each cluster that {@code scorer}
     * scores best: the same scorer as the {@link Score} step, so the keeper is the one Score rates
     * highest (its feedback included).
     */
    public Dedupe(double threshold, Path historyDir, int shards, ConversationScorer scorer) {
        this.scorer = java.util.Objects.requireNonNull(scorer, "scorer");
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("dedupe threshold must be in (0, 1], got " + threshold);
        }
        this.threshold = threshold;
        this.historyDir =
                historyDir == null ? null : historyDir.toAbsolutePath().toString();
        if (shards < 1) {
            throw new IllegalArgumentException("dedupe shards must be >= 1, got " + shards);
        }
        this.shards = shards;
    }

    /** The score of a sketch whose conversation repeats one already trained on (scores are in [0, 1]). */
    static final double TRAINED = -1;

    /** A confirmed similar pair: both members and their scores. */
    record Edge(String a, double scoreA, String b, double scoreB) implements Serializable {}

    /** The stage name of dedupe's dead letters ({@code curate/dead_letter.dedupe}). */
    static final String STAGE = "dedupe";

    /**
     * Output {@link Curate#CURATED}: the deduplicated conversations; {@link Curate#DEAD_LETTER}: one
     * JSON line per conversation the scorer failed on while choosing keepers (it is dropped from the
     * batch, counted as {@code curate/dead_letter.dedupe}, and the rest goes on).
     */
    @Override
    public PCollectionTuple expand(PCollection<Curated> input) {
        PCollectionTuple kept = input.apply("ByExactText", ParDo.of(new ExactKeyFn()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), CuratedCoder.of()))
                .apply("GroupExact", GroupInShards.<String, Curated>of(shards))
                .apply(
                        "KeepBestExact",
                        ParDo.of(new KeepBestFn(scorer))
                                .withOutputTags(DedupeSteps.FRESH, TupleTagList.of(Curate.DEAD_LETTER)));
        PCollection<KV<String, Curated>> distinct =
                kept.get(DedupeSteps.FRESH).setCoder(KvCoder.of(StringUtf8Coder.of(), CuratedCoder.of()));
        PCollectionTuple sketched = distinct.apply(
                "Sketch",
                ParDo.of(new DedupeSteps.SketchFn(minHash, threshold, historyDir, scorer))
                        .withOutputTags(
                                DedupeSteps.FRESH,
                                TupleTagList.of(DedupeSteps.KEYS)
                                        .and(DedupeSteps.SKETCHES)
                                        .and(Curate.DEAD_LETTER)));
        PCollection<KV<String, Curated>> fresh =
                sketched.get(DedupeSteps.FRESH).setCoder(KvCoder.of(StringUtf8Coder.of(), CuratedCoder.of()));
        PCollection<Edge> edges = pairs(
                sketched.get(DedupeSteps.SKETCHES).setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of())),
                sketched.get(DedupeSteps.KEYS).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())),
                threshold,
                shards);
        PCollectionView<Map<String, String>> keepers = edges.apply(
                        "Clusters", Combine.globally(new DedupeClusters.ClustersFn()))
                .setCoder(SerializableCoder.of(DedupeClusters.cast(java.util.HashMap.class)))
                .apply("Keepers", ParDo.of(new DedupeClusters.ExplodeFn()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
                .apply("AsMap", View.asMap());
        PCollection<Curated> curated = fresh.apply(
                        "KeepBestNear",
                        ParDo.of(new DedupeClusters.FilterFn(keepers)).withSideInputs(keepers))
                .setCoder(CuratedCoder.of());
        PCollection<String> dead = PCollectionList.of(
                        kept.get(Curate.DEAD_LETTER).setCoder(StringUtf8Coder.of()))
                .and(sketched.get(Curate.DEAD_LETTER).setCoder(StringUtf8Coder.of()))
                .apply("DeadLetters", Flatten.pCollections());
        return PCollectionTuple.of(Curate.CURATED, curated).and(Curate.DEAD_LETTER, dead);
    }

    /**
     * The scorer's score of {@code c} as the keeper choice sees it (cluster size 1), or empty after
     * sending {@code c} to the dead-letter output (counted) when the scorer throws on it.
     */
    static java.util.OptionalDouble guardedScore(
            ConversationScorer scorer, Conversation c, DoFn.MultiOutputReceiver out) {
        try {
            return java.util.OptionalDouble.of(scorer.score(c, 1).value());
        } catch (RuntimeException | StackOverflowError e) {
            Metrics.counter(CurateMetrics.NAMESPACE, "dead_letter." + STAGE).inc();
            out.get(Curate.DEAD_LETTER).output(GuardedStep.deadLetter(STAGE, c.id(), e));
            return java.util.OptionalDouble.empty();
        }
    }

    /**
     * The confirmed near-duplicate pairs among {@code sketches} (id → {@link Sketch} bytes), given
     * each one's lookup keys ({@code keys}: key → id).
     */
    static PCollection<Edge> pairs(
            PCollection<KV<String, byte[]>> sketches,
            PCollection<KV<String, String>> keys,
            double threshold,
            int shards) {
        KvCoder<String, Link> linkCoder = KvCoder.of(StringUtf8Coder.of(), Link.Coder.of());
        PCollection<KV<String, Link>> candidates = keys.apply("GroupKeys", GroupInShards.<String, String>of(shards))
                .apply("CandidatePairs", ParDo.of(new DedupeSteps.CandidatesFn()))
                .setCoder(linkCoder);
        PCollection<KV<String, Link>> tagged =
                sketches.apply("SketchLinks", ParDo.of(new DedupeSteps.TagFn())).setCoder(linkCoder);
        // all sketches are shuffled once; only those in some candidate pair (a few percent) go on
        return PCollectionList.of(tagged)
                .and(candidates)
                .apply("WithPartners", Flatten.pCollections())
                .apply("ById", GroupInShards.<String, Link>of(shards))
                .apply("AttachFirst", ParDo.of(new DedupeSteps.AttachFn()))
                .setCoder(linkCoder)
                .apply("BySecond", GroupInShards.<String, Link>of(shards))
                .apply("ConfirmPairs", ParDo.of(new DedupeSteps.ConfirmFn(threshold)))
                .setCoder(SerializableCoder.of(Edge.class));
    }

    static final class ExactKeyFn extends DoFn<Curated, KV<String, Curated>> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element Curated element, OutputReceiver<KV<String, Curated>> out) {
            Conversation c = element.conversation();
            String key = Sha256.ofBytes(MinHash.text(c).getBytes(StandardCharsets.UTF_8));
            out.output(KV.of(key, element));
        }
    }

    /** Keeps the best of each exact-text group (highest score, then smallest id), keyed by its id. */
    static final class KeepBestFn extends DoFn<KV<String, Iterable<Curated>>, KV<String, Curated>> {
        private static final long serialVersionUID = 1L;
        private final ConversationScorer scorer;

        KeepBestFn(ConversationScorer scorer) {
            this.scorer = scorer;
        }

        @ProcessElement
        public void process(@Element KV<String, Iterable<Curated>> group, MultiOutputReceiver out) {
            java.util.Iterator<Curated> members = group.getValue().iterator();
            Curated first = members.next();
            if (!members.hasNext()) {
                out.get(DedupeSteps.FRESH).output(KV.of(first.id(), first));
                return;
            }
            Curated best = null;
            double bestScore = 0;
            int scored = 0;
            for (Curated member = first; member != null; member = members.hasNext() ? members.next() : null) {
                java.util.OptionalDouble s = guardedScore(scorer, member.conversation(), out);
                if (s.isEmpty()) {
                    continue; // in the dead-letter output
                }
                scored++;
                double v = s.getAsDouble();
                if (best == null
                        || v > bestScore
                        || (v == bestScore && member.id().compareTo(best.id()) < 0)) {
                    best = member;
                    bestScore = v;
                }
            }
            if (best == null) {
                return;
            }
            if (scored > 1) {
                Metrics.counter(CurateMetrics.NAMESPACE, "duplicates.exact").inc(scored - 1);
            }
            out.get(DedupeSteps.FRESH).output(KV.of(best.id(), best.withCopies(scored, scored)));
        }
    }
}
