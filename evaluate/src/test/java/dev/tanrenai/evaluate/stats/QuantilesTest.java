package dev.tanrenai.evaluate.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Type-7 quantiles computed by hand: h = (n − 1)·p, interpolate between x[⌊h⌋] and x[⌊h⌋+1]. */
class QuantilesTest {

    @Test
    void interpolatesLinearly() {
        double[] values = {4, 1, 3, 2}; // sorted 1 2 3 4
        assertEquals(1, Quantiles.of(values, 0), 0);
        assertEquals(4, Quantiles.of(values, 1), 0);
        // h = 3·0.5 = 1.5 → 2 + 0.5·(3 − 2)
        assertEquals(2.5, Quantiles.of(values, 0.5), 1e-15);
        // h = 3·0.25 = 0.75 → 1 + 0.75·1
        assertEquals(1.75, Quantiles.of(values, 0.25), 1e-15);
        // h = 3·0.9 = 2.7 → 3 + 0.7·1
        assertEquals(3.7, Quantiles.of(values, 0.9), 1e-15);
        assertArrayEquals(new double[] {4, 1, 3, 2}, values, "input untouched");
    }

    @Test
    void unevenGaps() {
        double[] values = {10, 0, 100, 1, 5}; // sorted 0 1 5 10 100
        // h = 4·0.025 = 0.1 → 0 + 0.1·1
        assertEquals(0.1, Quantiles.of(values, 0.025), 1e-15);
        // h = 4·0.975 = 3.9 → 10 + 0.9·90
        assertEquals(91, Quantiles.of(values, 0.975), 1e-12);
        assertEquals(5, Quantiles.of(values, 0.5), 0);
    }

    @Test
    void floatsAndSingleValue() {
        assertEquals(1.5, Quantiles.of(new float[] {2f, 1f}, 0.5), 0);
        assertEquals(7, Quantiles.of(new double[] {7}, 0.3), 0);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Quantiles.of(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.of(new double[] {1, Double.NaN}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.of(new double[] {1}, 1.1));
    }
}
