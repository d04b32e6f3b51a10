package dev.tanrenai.pipelines.stages;

import dev.tanrenai.curate.CurateJob;
import dev.tanrenai.curate.FeedbackLabels;
import dev.tanrenai.curate.QualityModel;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.StoredFeedback;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses curate's quality scorer: a {@link QualityModel} trained on all feedback in the store
 * when there are enough labels, else the heuristic, with the reason either way; both get the
 * store's mean feedback per conversation as their {@code feedback} feature (the model never trains
 * on it: it is where its labels come from).
 */
final class QualityScorers {
    private static final int PAGE = 10_000;

    private QualityScorers() {}

    static CurateJob.Settings choose(CurateJob.Settings settings, ConversationStore store) {
        List<Feedback> feedback = new ArrayList<>();
        long after = 0;
        while (true) {
            List<StoredFeedback> page = store.feedbackSince(after, PAGE);
            page.forEach(f -> feedback.add(f.feedback()));
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).seq();
        }
        FeedbackLabels.Result labels = FeedbackLabels.from(feedback, store::get);
        QualityModel.Outcome outcome = QualityModel.train(labels.labels(), QualityModel.TrainingSettings.defaults());
        String note = outcome.reason()
                + (labels.missing() > 0 ? "; " + labels.missing() + " judged conversations not in the store" : "");
        java.util.Map<String, Double> means = FeedbackLabels.means(feedback);
        return outcome.model().isPresent()
                ? settings.withScorer(outcome.model().get().withFeedback(means), note)
                : settings.withScorer(settings.scorer().withFeedback(means), note);
    }
}
