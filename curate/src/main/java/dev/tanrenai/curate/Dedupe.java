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
public final class Dedupe extends PTransform<PCollection<Curated>, PCollection<Curated>> {

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

    @Override
    public PCollection<Curated> expand(PCollection<Curated> input) {
        PCollection<KV<String, Curated>> distinct = input.apply("ByExactText", ParDo.of(new ExactKeyFn()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), CuratedCoder.of()))
                .apply("GroupExact", GroupInShards.<String, Curated>of(shards))
                .apply("KeepBestExact", ParDo.of(new KeepBestFn(scorer)))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), CuratedCoder.of()));
        PCollectionTuple sketched = distinct.apply(
                "Sketch",
                ParDo.of(new DedupeSteps.SketchFn(minHash, threshold, historyDir, scorer))
                        .withOutputTags(
                                DedupeSteps.FRESH,
                                TupleTagList.of(DedupeSteps.KEYS).and(DedupeSteps.SKETCHES)));
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
        return fresh.apply(
                "KeepBestNear", ParDo.of(new DedupeClusters.FilterFn(keepers)).withSideInputs(keepers));
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
        public void process(@Element KV<String, Iterable<Curated>> group, OutputReceiver<KV<String, Curated>> out) {
            Curated best = null;
            double bestScore = 0;
            int members = 0;
            for (Curated member : group.getValue()) {
                members++;
                if (best == null) {
                    best = member;
                    continue;
                }
                if (members == 2) {
                    bestScore = scorer.score(best.conversation(), 1).value();
                }
                double s = scorer.score(member.conversation(), 1).value();
                if (s > bestScore || (s == bestScore && member.id().compareTo(best.id()) < 0)) {
                    best = member;
                    bestScore = s;
                }
            }
            if (members == 1) {
                out.output(KV.of(best.id(), best));
                return;
            }
            Metrics.counter(CurateMetrics.NAMESPACE, "duplicates.exact").inc(members - 1);
            out.output(KV.of(best.id(), best.withCopies(members, members)));
        }
    }
}
