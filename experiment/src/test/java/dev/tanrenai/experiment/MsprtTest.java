package dev.tanrenai.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The mixture SPRT's numbers against values worked out by hand (Python, from the formulas in Msprt's doc). */
class MsprtTest {

    @Test
    void likelihoodRatioAndConfidenceSequenceMatchTheFormulas() {
        // effect 0.1, V = 0.001, tau = 0.1, alpha = 0.05:
        // log L = 0.5 ln(0.001/0.011) + 0.01 * 0.01 / (2 * 0.001 * 0.011) = 3.3465069
        // half-width = sqrt(0.001 * 0.011 / 0.01 * (2 ln 20 + ln 11)) = 0.0960640
        Msprt.Result r = Msprt.test(0.1, 0.001, 0.1, 0.05);
        assertEquals(3.3465069090553605, r.logLambda(), 1e-12);
        assertEquals(Math.log(20), r.logThreshold(), 1e-12);
        assertEquals(0.09606401928868574, r.halfWidth(), 1e-12);
        assertTrue(r.crossed());
        assertTrue(r.lower() > 0, "the always-valid interval excludes 0 exactly when the ratio crosses");
        assertFalse(Msprt.test(0.05, 0.001, 0.1, 0.05).crossed());
    }

    @Test
    void usersToDetectMatchesAHandComputedCrossing() {
        // per-user variance of a rating rate over 1-3 ratings: p(1-p) * mean(1, 1/2, 1/3); worked out in Python
        double f = (1 + 1 / 2.0 + 1 / 3.0) / 3;
        assertEquals(553, Msprt.usersToDetect(0.1, 0.25 * f, 0.24 * f, 0.5, 0.1, 0.05));
        assertEquals(852, Msprt.usersToDetect(0.1, 0.25 * f, 0.24 * f, 0.2, 0.1, 0.05));
    }

    @Test
    void welfordStatsAreTheSampleMeanAndVariance() {
        PrimaryStats s = new PrimaryStats();
        for (double v : new double[] {1, 0, 0.5, 1}) {
            s.add(v);
        }
        assertEquals(4, s.n());
        assertEquals(0.625, s.mean(), 1e-12);
        // sum of squared deviations 0.140625+0.390625+0.015625+0.140625 = 0.6875, / 3
        assertEquals(0.6875 / 3, s.variance(), 1e-12);
    }
}
