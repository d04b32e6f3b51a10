/**
 * Statistics for comparing a candidate adapter with the champion on the same items of a suite. Pure
 * Java, seeded, fast (10,000 resamples of 5,000 clusters in about a third of a second).
 *
 * <h2>Paired, clustered percentile bootstrap ({@link dev.tanrenai.evaluate.stats.PairedBootstrap})</h2>
 *
 * Both models are scored on the same items, paired by item id; each item belongs to a cluster (a
 * conversation or a document) whose items are correlated. Per cluster the metric's numerator and
 * denominator are summed on each side (for a MEAN the denominator is the item count). A resample draws
 * as many clusters as there are, uniformly with replacement from a {@link java.util.SplittableRandom}
 * with the settings' seed, and evaluates {@code metric.fromSums} on both sides' resampled sums; the
 * statistic is {@code candidate − baseline}. Resampling clusters (not items) keeps within-cluster
 * correlation, so the interval is not too narrow when a conversation's turns move together; resampling
 * pairs keeps the between-model correlation that makes a paired comparison far tighter than two
 * separate intervals. A RATIO metric stays a ratio of sums in every resample.
 *
 * <p>The {@code confidence} interval is the percentile interval: the type-7 ({@link
 * dev.tanrenai.evaluate.stats.Quantiles}) quantiles {@code (1 − confidence)/2} and {@code (1 +
 * confidence)/2} of the resampled differences. The standard error is their standard deviation ({@code
 * n − 1} denominator). With no items or a single cluster there is nothing to resample: the interval is
 * NaN and the {@link dev.tanrenai.evaluate.stats.Comparison#note()} says why. A test checks that 95%
 * intervals cover a known effect in 89–99% of 200 synthetic trials of 60 clusters.
 *
 * <h2>Minimum detectable effect</h2>
 *
 * {@link dev.tanrenai.evaluate.stats.Comparison#mde()} {@code = (z_{0.975} + z_{0.80}) · SE ≈ 2.80 · SE}:
 * the smallest true difference that a two-sided test at 5% detects with 80% power, given the suite's
 * bootstrap standard error. A gate threshold below the MDE is mostly noise.
 *
 * <h2>McNemar's exact test ({@link dev.tanrenai.evaluate.stats.McNemar})</h2>
 *
 * For a binary (0/1) metric, {@code b} counts items the baseline got right and the candidate wrong,
 * {@code c} the reverse; under no difference {@code min(b, c)} is the lower tail of {@code Binomial(b +
 * c, 1/2)} and {@code p = min(1, 2·P(X ≤ min(b, c)))} (1 when {@code b + c = 0}), computed directly up
 * to 1000 discordant pairs and in log space beyond. It ignores clustering (items are taken as
 * independent); the bootstrap interval is the clustered view.
 *
 * <h2>Other pieces</h2>
 *
 * <ul>
 *   <li>{@link dev.tanrenai.evaluate.stats.OneSampleBootstrap}: the same clustered percentile bootstrap
 *       for one model's metric.
 *   <li>{@link dev.tanrenai.evaluate.stats.StandardErrors}: lm-eval style analytic standard errors over
 *       independent items ({@code s/√n} for a mean, the delta-method ratio estimator for a ratio).
 *   <li>{@link dev.tanrenai.evaluate.stats.ItemChanges}: the items with the largest per-item wins and
 *       losses (learned and forgotten for a binary metric), for reports.
 *   <li>{@link dev.tanrenai.evaluate.stats.Normal}: normal cdf (Hart 5666 + Laplace's continued
 *       fraction) and quantile (Wichura AS 241).
 * </ul>
 */
package dev.tanrenai.evaluate.stats;
