package dev.tanrenai.experiment;

/**
 * Count, mean and sample variance of per-user values, updated one user at a time (Welford), so that a
 * simulation can look at the test after every user without re-reading them all.
 */
public final class PrimaryStats {
    private long n;
    private double mean;
    private double m2;

    public void add(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a per-user value must be finite, got " + value);
        }
        n++;
        double delta = value - mean;
        mean += delta / n;
        m2 += delta * (value - mean);
    }

    public long n() {
        return n;
    }

    public double mean() {
        return n == 0 ? Double.NaN : mean;
    }

    /** The sample variance (n - 1 in the denominator); 0 below two values. */
    public double variance() {
        return n < 2 ? 0 : m2 / (n - 1);
    }
}
