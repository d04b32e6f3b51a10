package dev.tanrenai.evaluate.stats;

/**
 * McNemar's exact test for paired 0/1 outcomes. Of the discordant pairs, {@code b} went one way
 * (baseline right, candidate wrong) and {@code c} the other; under the null hypothesis of no
 * difference each discordant pair goes either way with probability 1/2, so {@code min(b, c)} is a
 * lower tail of {@code X ~ Binomial(b + c, 1/2)}. The two-sided p-value doubles it: {@code p = min(1,
 * 2·P(X ≤ min(b, c)))}, and is 1 when there are no discordant pairs.
 *
 * <p>Exactly 1 when {@code |b − c| ≤ 1} (the tail then holds at least half the mass). Up to 1000
 * discordant pairs the tail {@code Σ_{i≤k} C(n, i)/2^n} is summed directly from {@code 2^−n} with the
 * term ratio {@code (n − i)/(i + 1)}. Beyond, it is computed in log space so that {@code b + c} up to millions neither overflows nor underflows
 * early: {@code ln C(n, k)} from log-factorials (exact sums below 256, Stirling's series above), then
 * the tail {@code Σ_{i≤k} C(n, i) / C(n, k)} summed downwards from {@code i = k} with the term ratio
 * {@code C(n, i−1)/C(n, i) = i / (n − i + 1)} until the terms no longer change the sum.
 */
public final class McNemar {

    private static final int TABLE = 256;
    /** Up to this many discordant pairs the tail is summed directly ({@code 2^-1000} is still normal). */
    private static final int DIRECT = 1000;

    private static final double[] LOG_FACTORIAL = new double[TABLE];

    static {
        for (int i = 1; i < TABLE; i++) {
            LOG_FACTORIAL[i] = LOG_FACTORIAL[i - 1] + Math.log(i);
        }
    }

    private McNemar() {}

    /**
     * The exact two-sided p-value for {@code b} and {@code c} discordant pairs.
     *
     * @throws IllegalArgumentException when a count is negative or their sum overflows an int
     */
    public static double exactTwoSidedP(int b, int c) {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("McNemar: counts must be >= 0, got b=" + b + ", c=" + c);
        }
        long total = (long) b + c;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("McNemar: b + c overflows, got b=" + b + ", c=" + c);
        }
        if (total == 0) {
            return 1;
        }
        int n = (int) total;
        int k = Math.min(b, c);
        if (2 * (long) k + 1 >= n) {
            // b = c, or they differ by one: the lower tail holds at least half the mass
            return 1;
        }
        if (n <= DIRECT) {
            // C(n, i) / 2^n by the term ratio (n − i)/(i + 1) from 2^−n, exact at the start
            double term = Math.scalb(1.0, -n);
            double sum = 0;
            for (int i = 0; i <= k; i++) {
                sum += term;
                term *= (double) (n - i) / (i + 1);
            }
            return Math.min(1, 2 * sum);
        }
        double logTerm = logFactorial(n) - logFactorial(k) - logFactorial(n - k) - n * Math.log(2);
        double relativeSum = 1;
        double term = 1;
        for (int i = k; i >= 1; i--) {
            term *= (double) i / (n - i + 1);
            double next = relativeSum + term;
            if (next == relativeSum) {
                break;
            }
            relativeSum = next;
        }
        double p = 2 * Math.exp(logTerm + Math.log(relativeSum));
        return Math.min(1, p);
    }

    /** {@code ln m!}: exact summation below 256, Stirling's series (4 correction terms) above. */
    static double logFactorial(int m) {
        if (m < TABLE) {
            return LOG_FACTORIAL[m];
        }
        double x = m;
        double inv = 1 / x;
        double inv2 = inv * inv;
        double series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + series;
    }
}
