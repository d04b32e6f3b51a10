package dev.tanrenai.evaluate.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private static Comparison lowerIsBetter(double ciLow, double ciHigh) {
        return new Comparison("nll", false, 2.0, 1.9, 1.9 - 2.0, ciLow, ciHigh, 0.02, 100, 10, 1000, 1, 0.95, null, "");
    }

    @Test
    void improvementIsOrientedByDirection() {
        Comparison c = lowerIsBetter(-0.15, -0.05);
        assertEquals(0.1, c.improvement(), 1e-12);
        assertEquals(0.05, c.improvementCiLow(), 1e-15);
        assertEquals(0.15, c.improvementCiHigh(), 1e-15);
        assertTrue(c.significantImprovement());
        assertFalse(c.significantRegression());
        // (1.959963984540054 + 0.8416212335729143) · 0.02
        assertEquals(2.8015852181129683 * 0.02, c.mde(), 1e-14);
        Map<String, Object> json = c.describe();
        assertEquals(0.05, (Double) json.get("improvementCiLow"), 1e-15);
        assertEquals(false, json.get("higherIsBetter"));
        assertEquals(null, json.get("note"));
    }

    @Test
    void validates() {
        assertThrows(IllegalArgumentException.class, () -> lowerIsBetter(0.1, -0.1));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Comparison("m", true, 1, 2, 0.5, 0, 1, 0.1, 10, 2, 1000, 1, 0.95, null, ""));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Comparison("m", true, 1, 2, 1, 0, 1, 0.1, 10, 11, 1000, 1, 0.95, null, ""));
        // no resamples: the interval must be NaN and a note must say why
        assertThrows(
                IllegalArgumentException.class,
                () -> new Comparison("m", true, 1, 2, 1, 0, 1, 0.1, 10, 1, 0, 1, 0.95, null, "one cluster"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Comparison(
                        "m", true, 1, 2, 1, Double.NaN, Double.NaN, Double.NaN, 10, 1, 0, 1, 0.95, null, ""));
        assertThrows(IllegalArgumentException.class, () -> new McNemarResult(1, 2, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new BootstrapSettings(999, 1, 0.95));
        assertThrows(IllegalArgumentException.class, () -> new BootstrapSettings(1000, 1, 1));
        assertEquals(10_000, BootstrapSettings.DEFAULT.resamples());
        assertEquals(0.95, BootstrapSettings.DEFAULT.confidence());
    }
}
