package dev.tanrenai.evaluate.stats;

/**
 * How a bootstrap runs.
 *
 * @param resamples how many resamples (at least 1000; the percentile tails of a 95% interval rest on
 *     the 2.5% most extreme of them, 250 at the default 10,000)
 * @param seed the seed of the {@link java.util.SplittableRandom} that draws the clusters
 * @param confidence the coverage of the percentile interval, in (0, 1)
 */
public record BootstrapSettings(int resamples, long seed, double confidence) {

    /** The default seed; any fixed value makes a night's evaluation repeatable. */
    public static final long DEFAULT_SEED = 20_240_917L;

    /** 10,000 resamples, {@link #DEFAULT_SEED}, 95% intervals. */
    public static final BootstrapSettings DEFAULT = new BootstrapSettings(10_000, DEFAULT_SEED, 0.95);

    /** The smallest number of resamples accepted. */
    public static final int MIN_RESAMPLES = 1000;

    public BootstrapSettings {
        if (resamples < MIN_RESAMPLES) {
            throw new IllegalArgumentException(
                    "bootstrap: resamples must be >= " + MIN_RESAMPLES + ", got " + resamples);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("bootstrap: confidence must be in (0, 1), got " + confidence);
        }
    }

    /** These settings with another seed. */
    public BootstrapSettings withSeed(long newSeed) {
        return new BootstrapSettings(resamples, newSeed, confidence);
    }

    /** These settings with another number of resamples. */
    public BootstrapSettings withResamples(int newResamples) {
        return new BootstrapSettings(newResamples, seed, confidence);
    }
}
