package dev.tanrenai.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §4: with a known true effect the experiment promotes after about as many users as the
 * test's power analysis says; with no effect, over 1,000 experiments peeked at after every user, false
 * promotions stay at or below alpha.
 */
class SequentialSimulationTest {
    private static final ExperimentConfig CONFIG = ExperimentConfig.defaults();
    private static final double F = (1 + 1 / 2.0 + 1 / 3.0) / 3; // E[1/ratings] for 1-3 ratings per user

    @Test
    void aKnownEffectPromotesAfterAboutThePredictedNumberOfUsers() {
        double p0 = 0.5;
        double p1 = 0.6;
        long predicted =
                Msprt.usersToDetect(p1 - p0, p0 * (1 - p0) * F, p1 * (1 - p1) * F, 0.5, CONFIG.tau(), CONFIG.alpha());
        assertEquals(553, predicted); // worked out by hand in MsprtTest
        int experiments = 300;
        long[] stopped = new long[experiments];
        int promoted = 0;
        for (int i = 0; i < experiments; i++) {
            SimulatedExperiments.Run r = SimulatedExperiments.run(CONFIG, p0, p1, 0.5, 0, 20 * 553, 1000 + i);
            assertTrue(r.decision() != Decision.ROLLBACK, "seed " + (1000 + i) + " rolled back a better challenger");
            if (r.decision() == Decision.PROMOTE) {
                stopped[promoted++] = r.users();
            }
        }
        long[] s = Arrays.copyOf(stopped, promoted);
        Arrays.sort(s);
        long median = s[s.length / 2];
        System.out.printf(
                "known effect: %d of %d promoted, stop after users p10 %d, median %d, p90 %d; predicted %d%n",
                promoted, experiments, s[s.length / 10], median, s[s.length * 9 / 10], predicted);
        assertTrue(promoted >= experiments * 0.99, "promoted " + promoted + " of " + experiments);
        assertTrue(
                median >= predicted * 0.6 && median <= predicted * 1.4,
                "median stop after " + median + " users; the power analysis predicts " + predicted);
    }

    @Test
    void withNoEffectContinuousPeekingKeepsFalsePromotionsAtOrBelowAlpha() {
        int experiments = 1000;
        int promoted = 0;
        int decided = 0;
        for (int i = 0; i < experiments; i++) {
            // users differ (rating probability 0.5 +- 0.3) and rate 1-3 answers: the test clusters on users
            SimulatedExperiments.Run r = SimulatedExperiments.run(CONFIG, 0.5, 0.5, 0.3, 0.3, 3000, 50_000 + i);
            promoted += r.decision() == Decision.PROMOTE ? 1 : 0;
            decided += r.decision().ends() ? 1 : 0;
        }
        double rate = promoted / (double) experiments;
        assertTrue(rate <= CONFIG.alpha(), "false promotions " + promoted + " of " + experiments);
        assertTrue(decided / (double) experiments <= CONFIG.alpha(), "any decision under no effect: " + decided);
        System.out.printf(
                "null experiments: %d false promotions, %d decisions of %d%n", promoted, decided, experiments);
    }
}
