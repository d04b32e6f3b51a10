package dev.tanrenai.curate;

import com.fasterxml.jackson.databind.ObjectMapper;
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
public final class Score extends PTransform<PCollection<Curated>, PCollection<Curated>> {

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

    CurateStep step() {
        return new ScoreFn(threshold, scorer);
    }

    @Override
    public PCollection<Curated> expand(PCollection<Curated> input) {
        return input.apply("ScoreQuality", ParDo.of(new ScoreFn(threshold, scorer)));
    }

    static final class ScoreFn extends DoFn<Curated, Curated> implements CurateStep {
        private static final long serialVersionUID = 1L;
        private static final ObjectMapper JSON = new ObjectMapper();
        private final double threshold;
        private final ConversationScorer scorer;

        ScoreFn(double threshold, ConversationScorer scorer) {
            this.threshold = threshold;
            this.scorer = scorer;
        }

        @ProcessElement
        public void process(@Element Curated element, OutputReceiver<Curated> out) {
            Conversation c = element.conversation();
            QualityScorer.Score s = scorer.score(c, element.clusterSize());
            if (s.value() < threshold) {
                Metrics.counter(CurateMetrics.NAMESPACE, "filtered.low_quality").inc();
                return;
            }
            String features;
            try {
                features = JSON.writeValueAsString(s.topFeatures());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(
                        "conversation " + c.id() + ": its top features do not write as JSON: " + e.getMessage(), e);
            }
            out.output(element.withScore(Math.round(s.value() * 10000) / 10000.0, features));
        }
    }
}
