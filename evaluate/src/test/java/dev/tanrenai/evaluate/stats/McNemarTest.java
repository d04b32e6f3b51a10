package dev.tanrenai.evaluate.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class McNemarTest {

    /** min(1, 2·Σ_{i≤k} C(n, i) / 2^n) in exact integer arithmetic, independent of the log-space code. */
    private static double exact(int b, int c) {
        int n = b + c;
        int k = Math.min(b, c);
        BigInteger sum = BigInteger.ZERO;
        BigInteger binom = BigInteger.ONE;
        for (int i = 0; i <= k; i++) {
            sum = sum.add(binom);
            binom = binom.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        BigDecimal p = new BigDecimal(sum.shiftLeft(1))
                .divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)), MathContext.DECIMAL128);
        return Math.min(1, p.doubleValue());
    }

    @Test
    void knownTables() {
        // n = 10: 2·(C(10,0) + C(10,1)) / 1024 = 2·11/1024
        assertEquals(0.021484375, McNemar.exactTwoSidedP(1, 9), 1e-15);
        assertEquals(0.021484375, McNemar.exactTwoSidedP(9, 1), 1e-15);
        // n = 5: 2·1/32
        assertEquals(0.0625, McNemar.exactTwoSidedP(0, 5), 1e-15);
        // n = 6, k = 2: 2·(1 + 6 + 15)/64 = 44/64
        assertEquals(0.6875, McNemar.exactTwoSidedP(2, 4), 1e-15);
        // b = c: doubling the tail exceeds 1
        assertEquals(1, McNemar.exactTwoSidedP(3, 3), 0);
        assertEquals(1, McNemar.exactTwoSidedP(0, 0), 0);
        // n = 1: 2·1/2; n = 3, k = 1: 2·(1 + 3)/8
        assertEquals(1, McNemar.exactTwoSidedP(0, 1), 0);
        assertEquals(1, McNemar.exactTwoSidedP(1, 2), 0);
    }

    @Test
    void matchesExactArithmeticOnLargerTables() {
        int[][] tables = {{400, 600}, {12, 40}, {0, 30}, {250, 256}, {1000, 1100}, {3, 2000}, {4, 1}, {480, 560}};
        for (int[] t : tables) {
            double expected = exact(t[0], t[1]);
            assertEquals(expected, McNemar.exactTwoSidedP(t[0], t[1]), expected * 1e-9, t[0] + "," + t[1]);
        }
    }

    @Test
    void millionsOfPairs() {
        assertEquals(1, McNemar.exactTwoSidedP(500_000, 500_000), 0);
        // a 0.1% imbalance on a million pairs is z ≈ 2·(500500 − 499500)/1000 = 2 sd: p ≈ 0.0455
        double p = McNemar.exactTwoSidedP(499_500, 500_500);
        assertEquals(2 * Normal.cdf(-(500_000 - 499_500 - 0.5) / 500.0), p, 1e-4);
        assertEquals(0, McNemar.exactTwoSidedP(0, 1_000_000), 0);
    }

    @Test
    void rejectsNegativeCounts() {
        assertThrows(IllegalArgumentException.class, () -> McNemar.exactTwoSidedP(-1, 2));
    }
}
