package dev.tanrenai.curate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store's feedback as the scorers' feature, never the model's training feature, and the dedupe keeper's. */
@ExtendWith(TestPipelineExtension.class)
class FeedbackFeatureTest {

    static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

    static Conversation chat(String id, String q, String a) {
        return new Conversation(id, "test", T, T, List.of(Message.user(q), Message.assistant(a)), Map.of());
    }

    @Test
    void storeFeedbackMovesTheHeuristicScore() {
        Conversation c =
                chat("c", "How do I flatten a stone?", "Rub it on a diamond plate until the pencil grid is gone.");
        Map<String, Double> means = FeedbackLabels.means(List.of(
                Feedback.thumbsDown("c", null, T), Feedback.thumbsDown("c", 1, T), Feedback.thumbsUp("other", 1, T)));
        assertEquals(Map.of("c", -1.0, "other", 1.0), means);
        QualityScorer plain = new QualityScorer();
        ConversationScorer judged = plain.withFeedback(means);
        assertEquals(0.0, plain.features(c, 1).get("feedback"));
        assertEquals(-1.0, ((QualityScorer) judged).features(c, 1).get("feedback"));
        double before = plain.score(c, 1).value();
        double after = judged.score(c, 1).value();
        assertTrue(after < before - 0.2, before + " -> " + after);
        assertTrue(
                judged.score(c, 1).topFeatures().containsKey("feedback"),
                judged.score(c, 1).toString());
        // an imported conversation's own feedback.score still counts when the store has none
        Conversation imported =
                new Conversation("i", "import", T, T, c.messages(), Map.of(QualityScorer.FEEDBACK_METADATA, "0.5"));
        assertEquals(0.5, ((QualityScorer) judged).features(imported, 1).get("feedback"));
        Conversation bad =
                new Conversation("b", "import", T, T, c.messages(), Map.of(QualityScorer.FEEDBACK_METADATA, "great"));
        String message = assertThrows(IllegalArgumentException.class, () -> plain.features(bad, 1))
                .getMessage();
        assertTrue(message.contains("conversation b") && message.contains("'great'"), message);
    }

    @Test
    void theModelTrainsWithoutTheFeedbackFeatureAndScoresWithIt() {
        Random random = new Random(3);
        List<FeedbackLabels.Labeled> labels = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean good = i % 2 == 0;
            String answer = good
                    ? "Bed the iron flat, set the cap iron close and take a thinner shaving " + random.nextInt(1000)
                    : "I'm sorry, as an AI I cannot help with that.";
            labels.add(new FeedbackLabels.Labeled(
                    chat("c" + i, "Why does my plane chatter?", answer), good, good ? 1 : -1, 1));
        }
        QualityModel model = QualityModel.train(labels, QualityModel.TrainingSettings.defaults())
                .model()
                .orElseThrow();
        assertFalse(
                model.trainedFeatures().contains("feedback"),
                model.trainedFeatures().toString());
        assertTrue(
                model.trainedFeatures().contains("refusal"),
                model.trainedFeatures().toString());
        Conversation c = chat("x", "Why does my plane chatter?", "Bed the iron flat and take a thinner shaving 7");
        double before = model.score(c, 1).value();
        double after = model.withFeedback(Map.of("x", -1.0)).score(c, 1).value();
        assertTrue(after < before, before + " -> " + after);
    }

    @Test
    void dedupeKeepsTheDuplicateTheScorerPrefers(TestPipeline p) {
        // identical text: without feedback the smaller id ("a") is kept; a thumbs-down on it keeps "b";
        // near-duplicates: the heuristic prefers the longer "c"; a thumbs-down on it keeps "d"
        String q = "Which glue suits outdoor oak furniture joints?";
        String a = "A polyurethane or a type one PVA glue; clamp firmly and let it cure a full day.";
        String q2 = "How do I set the teeth of a rip saw before filing?";
        String a2 =
                "Bend alternate teeth outward by a third of the plate thickness with a saw set, then joint and file";
        ConversationScorer scorer = new QualityScorer().withFeedback(Map.of("a", -1.0, "c", -1.0));
        PCollection<Curated> out = p.apply(
                        "In",
                        Create.of(
                                Curated.of(chat("a", q, a)),
                                Curated.of(chat("b", q, a)),
                                Curated.of(chat("c", q2, a2 + " them all evenly.")),
                                Curated.of(chat("d", q2, a2 + " them."))))
                .apply(new Dedupe(0.5, null, 2, scorer))
                .get(Curate.CURATED);
        PAssert.that(out.apply(MapElements.into(TypeDescriptors.strings()).via(e -> e.id())))
                .containsInAnyOrder("b", "d");
        Conversation c = chat("c", q2, a2 + " them all evenly.");
        Conversation d = chat("d", q2, a2 + " them.");
        assertTrue(
                new QualityScorer().score(c, 1).value()
                        > new QualityScorer().score(d, 1).value(),
                "without feedback the heuristic prefers c");
        p.run().waitUntilFinish();
    }
}
