package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import java.io.Serializable;

/** Scores a conversation as a training example: {@link QualityScorer} (heuristic) or {@link QualityModel} (learned). */
public interface ConversationScorer extends Serializable {

    /** The score in [0, 1] with the features that moved it most. */
    QualityScorer.Score score(Conversation c, long clusterSize);

    /** What the scorer is, for provenance: {@code heuristic} or the model's description. */
    String describe();

    /**
     * This scorer with users' feedback from the store as its {@code feedback} feature: the mean
     * feedback score in [-1, 1] by conversation id ({@link FeedbackLabels#means}). A conversation
     * without store feedback falls back to its {@code feedback.score} metadata (e.g. from an
     * import), else 0.
     */
    ConversationScorer withFeedback(java.util.Map<String, Double> meanFeedbackById);
}
