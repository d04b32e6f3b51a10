package dev.tanrenai.curate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Conversation;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Scores each conversation as a training example ({@link QualityScorer}: score in [0, 1] and its
 * top contributing features, annotated as {@code quality}) and keeps those at or above the
 * threshold; the others are counted ({@code curate/filtered.low_quality}).
 */
public final class Score extends PTransform<PCollection<String>, PCollection<String>> {

    private final double threshold;
    private final ConversationScorer scorer;

    /** Scores with the heuristic {@link QualityScorer}. */
    public Score(double threshold) {
        this(threshold, new QualityScorer());
    }

    public Score(double threshold, ConversationScorer scorer) {
        this.threshold = threshold;
        this.scorer = java.util.Objects.requireNonNull(scorer, "scorer");
    }

    @Override
    public PCollection<String> expand(PCollection<String> input) {
        return input.apply("ScoreQuality", ParDo.of(new ScoreFn(threshold, scorer)));
    }

    static final class ScoreFn extends DoFn<String, String> {
        private static final long serialVersionUID = 1L;
        private final double threshold;
        private final ConversationScorer scorer;

        ScoreFn(double threshold, ConversationScorer scorer) {
            this.threshold = threshold;
            this.scorer = scorer;
        }

        @ProcessElement
        public void process(@Element String envelope, OutputReceiver<String> out) {
            Conversation c = Curated.conversation(envelope);
            QualityScorer.Score s =
                    scorer.score(c, Curated.get(envelope, "cluster_size").asLong(1));
            if (s.value() < threshold) {
                Metrics.counter(CurateMetrics.NAMESPACE, "filtered.low_quality").inc();
                return;
            }
            ObjectNode quality = Curated.json().createObjectNode();
            quality.put("score", Math.round(s.value() * 10000) / 10000.0);
            quality.set("features", Curated.json().valueToTree(s.topFeatures()));
            out.output(Curated.with(envelope, "quality", quality));
        }
    }
}
