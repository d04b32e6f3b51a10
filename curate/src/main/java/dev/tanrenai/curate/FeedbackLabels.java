package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Feedback;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Training labels for the {@link QualityModel} from users' feedback in the store: the mean of all
 * feedback scores on a conversation (whole-conversation and per-message alike) above 0 labels it
 * good, below 0 bad; a mean of exactly 0 gives no label.
 */
public final class FeedbackLabels {

    /** A conversation with its label. */
    public record Labeled(Conversation conversation, boolean good, double meanFeedback, int feedbackCount) {
        public Labeled {
            if (conversation == null) {
                throw new IllegalArgumentException("a label needs its conversation");
            }
            if (feedbackCount < 1) {
                throw new IllegalArgumentException("a label needs feedback, got " + feedbackCount);
            }
        }
    }

    /**
     * @param labels by conversation id
     * @param neutral conversations whose feedback averages to exactly 0
     * @param missing conversations named by feedback but not found
     */
    public record Result(List<Labeled> labels, int neutral, int missing) {
        public Result {
            labels = List.copyOf(labels);
        }

        public long good() {
            return labels.stream().filter(Labeled::good).count();
        }

        public long bad() {
            return labels.size() - good();
        }
    }

    private FeedbackLabels() {}

    /**
     * The mean feedback score by conversation id (whole-conversation and per-message feedback
     * alike), sorted by id: the scorers' {@code feedback} feature ({@link ConversationScorer#withFeedback}).
     */
    public static Map<String, Double> means(List<Feedback> feedback) {
        Map<String, double[]> sums = new TreeMap<>(); // id -> {sum, count}
        for (Feedback f : feedback) {
            double[] s = sums.computeIfAbsent(f.conversationId(), k -> new double[2]);
            s[0] += f.score();
            s[1]++;
        }
        Map<String, Double> means = new TreeMap<>();
        sums.forEach((id, s) -> means.put(id, s[0] / s[1]));
        return means;
    }

    public static Result from(List<Feedback> feedback, Function<String, Optional<Conversation>> lookup) {
        Map<String, double[]> sums = new TreeMap<>(); // id -> {sum, count}
        for (Feedback f : feedback) {
            double[] s = sums.computeIfAbsent(f.conversationId(), k -> new double[2]);
            s[0] += f.score();
            s[1]++;
        }
        List<Labeled> labels = new ArrayList<>();
        int neutral = 0;
        int missing = 0;
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double mean = e.getValue()[0] / e.getValue()[1];
            if (mean == 0) {
                neutral++;
                continue;
            }
            Optional<Conversation> c = lookup.apply(e.getKey());
            if (c.isEmpty()) {
                missing++;
                continue;
            }
            labels.add(new Labeled(c.get(), mean > 0, mean, (int) e.getValue()[1]));
        }
        return new Result(labels, neutral, missing);
    }
}
