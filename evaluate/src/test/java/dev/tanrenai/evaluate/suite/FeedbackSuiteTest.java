package dev.tanrenai.evaluate.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.evaluate.result.ItemScore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeedbackSuiteTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static Conversation conversation(String id) {
        return new Conversation(
                id,
                "serve",
                T,
                T,
                List.of(Message.user("q1"), Message.assistant("a1"), Message.user("q2"), Message.assistant("a2")),
                Map.of());
    }

    private static Optional<Conversation> lookup(String id) {
        return id.startsWith("missing") ? Optional.empty() : Optional.of(conversation(id));
    }

    @Test
    void ratingsAreAveragedPerAnswerAndTheUnusableAreListedWithReasons() {
        FeedbackSuite suite = FeedbackSuite.of(
                List.of(
                        Feedback.thumbsUp("c1", null, T),
                        Feedback.thumbsUp("c1", null, T),
                        Feedback.thumbsDown("c1", null, T), // mean 1/3: up
                        Feedback.thumbsDown("c2", 1, T), // the first answer of c2: down
                        Feedback.thumbsUp("c3", null, T),
                        Feedback.thumbsDown("c3", null, T), // mean 0: left out
                        Feedback.thumbsUp("c4", 0, T), // a user message: left out
                        Feedback.thumbsDown("missing-1", null, T)),
                FeedbackSuiteTest::lookup);
        Map<String, Object> source = suite.info().source();
        assertEquals(1L, source.get("ratedUp"));
        assertEquals(1L, source.get("ratedDown"));
        @SuppressWarnings("unchecked")
        Map<String, String> skipped = (Map<String, String>) source.get("skipped");
        assertEquals(
                Map.of(
                        "c3", "ratings cancel out (mean 0)",
                        "c4#0", "the rated message is not an assistant answer",
                        "missing-1", "the conversation is not in the store"),
                skipped);
        assertEquals(2, suite.conversations().size());
        assertEquals(2, suite.conversations().get(1).messages().size(), "c2 is cut after the rated answer");
    }

    @Test
    void feedbackRatedOnlyOneWayCannotGiveAMargin() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> FeedbackSuite.of(List.of(Feedback.thumbsUp("c1", null, T)), FeedbackSuiteTest::lookup));
        assertTrue(e.getMessage().contains("1 rated up and 0 rated down"), e.getMessage());
    }

    @Test
    void theMeanOfTheContributionsIsTheMarginBetweenDownAndUpRatedAnswers() {
        // up: 2.0 and 1.0 nats per token; down: 3.0 -> margin = 3.0 - 1.5 = 1.5
        List<ItemScore> scored = List.of(item("u1", 4.0, 2, 1), item("u2#3", 3.0, 3, 1), item("d1", 6.0, 2, 0));
        List<ItemScore> items = FeedbackSuite.withMargins(scored, Map.of("u2#3", "u2"));
        assertEquals(1.5, FeedbackSuite.MARGIN.valueOf(items), 1e-12);
        assertEquals("u2", items.get(1).cluster());
        assertTrue(items.get(2).text().startsWith("[rated down]"));

        List<ItemScore> oneWay = FeedbackSuite.withMargins(List.of(item("u1", 4.0, 2, 1)), Map.of());
        assertFalse(oneWay.get(0).values().containsKey(FeedbackSuite.MARGIN_VALUE));
    }

    private static ItemScore item(String id, double nll, double tokens, double up) {
        return new ItemScore(id, id, Map.of("nll", nll, "tokens", tokens, "bytes", 10.0, "up", up), id);
    }
}
