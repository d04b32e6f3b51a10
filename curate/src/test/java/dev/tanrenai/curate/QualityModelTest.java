package dev.tanrenai.curate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Tribuo quality model learns "good training example" from feedback labels, reproducibly. */
class QualityModelTest {

    static final Instant T = Instant.parse("2026-11-23T00:00:00Z");
    static final String[] WORDS = ("temper steel blade oil quench chisel plane stone water edge honing grit bevel "
                    + "angle heat straw brittle tough grain carbon file saw tooth kerf joint glue clamp board")
            .split(" ");

    /** Good: a long, varied answer. Bad: a refusal, an apology loop, or a one-word reply. Noise flips 5%. */
    static List<FeedbackLabels.Labeled> generated(int n, long seed) {
        Random random = new Random(seed);
        List<FeedbackLabels.Labeled> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean good = random.nextBoolean();
            String question = sentence(random, 6 + random.nextInt(6)) + "?";
            String answer;
            if (good) {
                answer = sentence(random, 40 + random.nextInt(60)) + ".";
            } else {
                answer = switch (random.nextInt(3)) {
                    case 0 -> "I'm sorry, as an AI I cannot help with that.";
                    case 1 -> "sorry sorry sorry sorry sorry sorry sorry sorry sorry sorry sorry sorry";
                    default -> "ok";
                };
            }
            boolean label = random.nextInt(100) < 5 ? !good : good;
            Conversation c = new Conversation(
                    String.format("c-%04d", i),
                    "test",
                    T,
                    T,
                    List.of(Message.user(question), Message.assistant(answer)),
                    Map.of());
            out.add(new FeedbackLabels.Labeled(c, label, label ? 1 : -1, 1));
        }
        return out;
    }

    static String sentence(Random random, int words) {
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < words; w++) {
            sb.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    @Test
    void learnsFromFeedbackAndBeatsAConstantOnHeldOutData() {
        QualityModel.Outcome outcome = QualityModel.train(generated(200, 1), QualityModel.TrainingSettings.defaults());
        QualityModel model = outcome.model().orElseThrow(() -> new AssertionError(outcome.reason()));
        List<FeedbackLabels.Labeled> test = generated(200, 2);
        int correct = 0;
        long good = 0;
        for (FeedbackLabels.Labeled l : test) {
            boolean predicted = model.score(l.conversation(), 1).value() >= 0.5;
            correct += predicted == l.good() ? 1 : 0;
            good += l.good() ? 1 : 0;
        }
        double accuracy = correct / (double) test.size();
        double constant = Math.max(good, test.size() - good) / (double) test.size();
        assertTrue(accuracy >= 0.85 && accuracy > constant, "accuracy " + accuracy + " vs constant " + constant);
        assertEquals(
                200L,
                (long) model.provenance().get("labelsGood")
                        + (long) model.provenance().get("labelsBad"));
        assertTrue(model.score(test.get(0).conversation(), 1).topFeatures().size() <= 3);
    }

    @Test
    void sameLabelsAndSeedGiveTheSameModel() {
        List<FeedbackLabels.Labeled> labels = generated(120, 3);
        QualityModel a = QualityModel.train(labels, QualityModel.TrainingSettings.defaults())
                .model()
                .orElseThrow();
        List<FeedbackLabels.Labeled> shuffled = new ArrayList<>(labels);
        java.util.Collections.shuffle(shuffled, new Random(9));
        QualityModel b = QualityModel.train(shuffled, QualityModel.TrainingSettings.defaults())
                .model()
                .orElseThrow();
        assertEquals(a.provenance(), b.provenance());
        for (FeedbackLabels.Labeled l : generated(30, 4)) {
            assertEquals(a.score(l.conversation(), 1), b.score(l.conversation(), 1));
        }
    }

    @Test
    void tooFewLabelsOrOneKindOnlyFallBackToTheHeuristicWithAReason() {
        QualityModel.Outcome few = QualityModel.train(generated(20, 5), QualityModel.TrainingSettings.defaults());
        assertTrue(few.model().isEmpty() && few.reason().contains("too few"), few.reason());
        List<FeedbackLabels.Labeled> allGood =
                generated(200, 6).stream().filter(FeedbackLabels.Labeled::good).toList();
        QualityModel.Outcome oneKind = QualityModel.train(allGood, QualityModel.TrainingSettings.defaults());
        assertTrue(oneKind.model().isEmpty() && oneKind.reason().contains("0 bad"), oneKind.reason());
    }

    @Test
    void explicitNegativeFeedbackLowersTheScore() {
        QualityModel model = QualityModel.train(generated(200, 1), QualityModel.TrainingSettings.defaults())
                .model()
                .orElseThrow();
        Conversation c = generated(10, 7).stream()
                .filter(FeedbackLabels.Labeled::good)
                .findFirst()
                .orElseThrow()
                .conversation();
        Conversation disliked = new Conversation(
                c.id(), c.source(), c.createdAt(), c.updatedAt(), c.messages(), Map.of("feedback.score", "-1"));
        double plain = model.score(c, 1).value();
        QualityScorer.Score down = model.score(disliked, 1);
        assertTrue(down.value() < plain, down + " vs " + plain);
        assertTrue(down.topFeatures().containsKey("feedback"), down.toString());
    }

    @Test
    void feedbackBecomesLabelsByTheMeanScore() {
        Conversation a = generated(1, 8).get(0).conversation();
        List<Feedback> feedback = List.of(
                Feedback.thumbsUp("c-0000", null, T),
                Feedback.thumbsDown("c-0000", 1, T),
                Feedback.thumbsUp("c-0000", 1, T), // mean 1/3: good
                Feedback.thumbsDown("gone", null, T),
                Feedback.thumbsUp("tie", null, T),
                Feedback.thumbsDown("tie", null, T));
        FeedbackLabels.Result r =
                FeedbackLabels.from(feedback, id -> id.equals("c-0000") ? Optional.of(a) : Optional.empty());
        assertEquals(1, r.labels().size());
        assertTrue(r.labels().get(0).good());
        assertEquals(3, r.labels().get(0).feedbackCount());
        assertEquals(1, r.neutral());
        assertEquals(1, r.missing());
    }
}
