package dev.tanrenai.evaluate.stats;

import java.util.Arrays;

/**
 * Sample quantiles by Hyndman and Fan's type 7, the default of numpy ({@code linear}) and R: for
 * sorted values {@code x[0..n-1]} and {@code h = (n − 1)·p}, the quantile is {@code x[⌊h⌋] + (h − ⌊h⌋)
 * · (x[⌊h⌋+1] − x[⌊h⌋])}; the minimum at {@code p = 0}, the maximum at {@code p = 1}.
 */
public final class Quantiles {

    private Quantiles() {}

    /** The type-7 {@code p}-quantile of {@code values} (not modified; sorted in a copy). */
    public static double of(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return ofSorted(sorted, p);
    }

    /** The type-7 {@code p}-quantile of {@code values}, computed in double precision. */
    public static double of(float[] values, double p) {
        double[] sorted = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            sorted[i] = values[i];
        }
        Arrays.sort(sorted);
        return ofSorted(sorted, p);
    }

    /**
     * The type-7 {@code p}-quantile of values already sorted ascending (not checked beyond NaN).
     *
     * @throws IllegalArgumentException when there are no values, a value is NaN or {@code p} is outside [0, 1]
     */
    public static double ofSorted(double[] sorted, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("quantile: p must be in [0, 1], got " + p);
        }
        if (sorted.length == 0) {
            throw new IllegalArgumentException("quantile of no values (p = " + p + ")");
        }
        // Arrays.sort puts NaN last
        if (Double.isNaN(sorted[sorted.length - 1]) || Double.isNaN(sorted[0])) {
            throw new IllegalArgumentException("quantile: the values contain NaN");
        }
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        double frac = h - lo;
        return frac == 0 ? sorted[lo] : sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
    }
}
