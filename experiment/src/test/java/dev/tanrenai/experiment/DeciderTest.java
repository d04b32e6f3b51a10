package dev.tanrenai.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The decision rule's order: guardrails only stop, minimum users, the test, the maximum duration. */
class DeciderTest {
    private static final ExperimentConfig CONFIG = ExperimentConfig.defaults();

    @Test
    void aSlowerChallengerIsRolledBackEvenThoughItsRatingsAreBetter() {
        ArmSummary champion = arm(200, 0.3, 0, 1000, 0);
        ArmSummary challenger = arm(200, 0.9, 0, 3000, 0);
        Verdict v = Decider.decide(CONFIG, champion, challenger, Duration.ofHours(1));
        assertEquals(Decision.ROLLBACK, v.decision(), v.reason());
        assertTrue(v.reason().contains("p95 latency 3000 ms vs champion 1000 ms"), v.reason());
        assertTrue(v.test().crossed() && v.test().effect() > 0, "the ratings alone would have promoted");
    }

    @Test
    void aChallengerThatIsRegeneratedMoreIsRolledBack() {
        Verdict v = Decider.decide(CONFIG, arm(200, 0.5, 0, 1000, 2), arm(200, 0.5, 0, 1000, 40), Duration.ZERO);
        assertEquals(Decision.ROLLBACK, v.decision(), v.reason());
        assertTrue(v.reason().contains("regeneration rate 20.0% vs champion 1.0%"), v.reason());
    }

    @Test
    void betterGuardrailMetricsNeverPromote() {
        // far fewer errors, faster, fewer regenerations, same ratings: keep collecting
        Verdict v = Decider.decide(CONFIG, arm(200, 0.5, 30, 5000, 40), arm(200, 0.5, 0, 100, 0), Duration.ZERO);
        assertEquals(Decision.CONTINUE, v.decision(), v.reason());
    }

    @Test
    void fewerUsersThanTheMinimumKeepCollectingEvenPastTheBoundary() {
        Verdict v = Decider.decide(CONFIG, arm(50, 0.1, 0, 100, 0), arm(50, 0.9, 0, 100, 0), Duration.ZERO);
        assertTrue(v.test().crossed(), "the test alone has crossed");
        assertEquals(Decision.CONTINUE, v.decision());
        assertTrue(v.reason().startsWith("collecting: 50 and 50 rated users of 100"), v.reason());
    }

    @Test
    void aWorseRatedChallengerIsRolledBackAndTheMaximumDurationEndsAsNoDifference() {
        assertEquals(
                Decision.ROLLBACK,
                Decider.decide(CONFIG, arm(200, 0.8, 0, 100, 0), arm(200, 0.3, 0, 100, 0), Duration.ZERO)
                        .decision());
        assertEquals(
                Decision.NO_DIFFERENCE,
                Decider.decide(CONFIG, arm(200, 0.5, 0, 100, 0), arm(200, 0.5, 0, 100, 0), Duration.ofDays(14))
                        .decision());
    }

    /** {@code users} users with one answer and one rating each, a share {@code up} of them thumbs up. */
    private static ArmSummary arm(int users, double up, long errors, long p95, long regenerations) {
        PrimaryStats primary = new PrimaryStats();
        int ups = (int) Math.round(users * up);
        for (int u = 0; u < users; u++) {
            primary.add(u < ups ? 1 : 0);
        }
        return new ArmSummary(
                users,
                users,
                users,
                primary,
                users,
                ups,
                users - ups,
                2 * up - 1,
                errors,
                regenerations,
                0,
                users,
                0,
                p95 / 2,
                p95,
                0,
                0);
    }
}
