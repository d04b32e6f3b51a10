package dev.tanrenai.evaluate.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Table values of the standard normal (to 16 digits, as printed by standard tables and libraries). */
class NormalTest {

    private static void assertRelative(double expected, double actual, double relative) {
        assertEquals(expected, actual, Math.abs(expected) * relative, () -> "expected " + expected + " got " + actual);
    }

    @Test
    void cdfAtTablePoints() {
        assertEquals(0.5, Normal.cdf(0), 1e-16);
        assertRelative(0.8413447460685429, Normal.cdf(1), 1e-14);
        assertRelative(0.6914624612740131, Normal.cdf(0.5), 1e-14);
        assertRelative(0.9750021048517795, Normal.cdf(1.96), 1e-14);
        assertRelative(0.0013498980316300933, Normal.cdf(-3), 1e-14);
        assertRelative(0.9999997133484281, Normal.cdf(5), 1e-14);
        // far tails keep relative accuracy
        assertRelative(6.22096057427174e-16, Normal.cdf(-8), 1e-13);
        assertRelative(2.7536241186061556e-89, Normal.cdf(-20), 1e-12);
        assertRelative(1.279812543885835e-12, Normal.cdf(-7.0), 1e-13);
        assertRelative(6.237844463331586e-13, Normal.cdf(-7.1), 1e-13);
        assertRelative(1.776482112077653e-33, Normal.cdf(-12), 1e-12);
        assertEquals(0, Normal.cdf(-40));
        assertEquals(1, Normal.cdf(40));
        assertEquals(Double.NaN, Normal.cdf(Double.NaN));
    }

    @Test
    void cdfIsSymmetric() {
        for (double x = 0; x < 6; x += 0.37) {
            assertEquals(1, Normal.cdf(x) + Normal.cdf(-x), 1e-15, "x = " + x);
        }
    }

    @Test
    void quantileAtTablePoints() {
        assertEquals(0, Normal.quantile(0.5), 0);
        assertRelative(1.959963984540054, Normal.quantile(0.975), 1e-14);
        assertRelative(0.8416212335729143, Normal.quantile(0.8), 1e-14);
        assertRelative(1.2815515655446004, Normal.quantile(0.9), 1e-14);
        assertRelative(-0.5244005127080409, Normal.quantile(0.3), 1e-14);
        assertRelative(2.5758293035489004, Normal.quantile(0.995), 1e-14);
        assertRelative(3.090232306167813, Normal.quantile(0.999), 1e-14);
        assertRelative(-1.972961051311885, Normal.quantile(0.02425), 1e-14);
        assertRelative(-6.361340902404056, Normal.quantile(1e-10), 1e-14);
        assertRelative(-37.0470962993612, Normal.quantile(1e-300), 1e-13);
        assertEquals(Double.NEGATIVE_INFINITY, Normal.quantile(0));
        assertEquals(Double.POSITIVE_INFINITY, Normal.quantile(1));
    }

    @Test
    void quantileInvertsCdf() {
        for (double p = 0.001; p < 1; p += 0.0137) {
            assertEquals(p, Normal.cdf(Normal.quantile(p)), 1e-14, "p = " + p);
        }
    }

    @Test
    void quantileRejectsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> Normal.quantile(-0.1));
        assertThrows(IllegalArgumentException.class, () -> Normal.quantile(1.5));
        assertThrows(IllegalArgumentException.class, () -> Normal.quantile(Double.NaN));
    }
}
