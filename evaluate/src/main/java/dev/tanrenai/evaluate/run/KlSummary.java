package dev.tanrenai.evaluate.run;

import dev.tanrenai.evaluate.stats.Quantiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distribution of per-token KL(baseline ‖ candidate) over every scored token of a suite, as
 * llama.cpp's {@code llama-perplexity --kl-divergence} reports it: mean, median, p95, p99, max (all
 * nats), plus a histogram for the report. Quantiles are type 7 (linear interpolation). The histogram
 * has {@link #BINS} equal bins on {@code [0, p99]} and a last bin for everything above p99.
 */
record KlSummary(
        double mean,
        double median,
        double p95,
        double p99,
        double max,
        long tokens,
        List<Map<String, Object>> histogram) {

    static final int BINS = 24;

    static KlSummary of(float[] kl) {
        if (kl == null || kl.length == 0) {
            return null;
        }
        double sum = 0;
        double max = 0;
        for (float k : kl) {
            sum += k;
            max = Math.max(max, k);
        }
        double p99 = Quantiles.of(kl, 0.99);
        double top = p99 > 0 ? p99 : Math.max(max, 1e-9);
        long[] counts = new long[BINS + 1];
        for (float k : kl) {
            int bin = k > top ? BINS : Math.min(BINS - 1, (int) (k / top * BINS));
            counts[Math.max(0, bin)]++;
        }
        List<Map<String, Object>> histogram = new ArrayList<>();
        for (int i = 0; i < BINS; i++) {
            histogram.add(bin(top * i / BINS, top * (i + 1) / BINS, counts[i]));
        }
        if (counts[BINS] > 0) {
            histogram.add(bin(top, max, counts[BINS]));
        }
        return new KlSummary(
                sum / kl.length, Quantiles.of(kl, 0.5), Quantiles.of(kl, 0.95), p99, max, kl.length, histogram);
    }

    private static Map<String, Object> bin(double lo, double hi, long count) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lo", lo);
        m.put("hi", hi);
        m.put("count", count);
        return m;
    }
}
