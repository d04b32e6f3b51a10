package dev.tanrenai.serve;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Automatic rollback: watches the challenger's last {@code window} generations and, when its error
 * rate or its 95th-percentile latency crosses the threshold (after at least {@code minSamples}),
 * sends its traffic back to the champion and records why.
 *
 * @param window generations considered
 * @param minSamples generations needed before judging
 * @param maxErrorRate error share that trips the guard
 * @param maxP95Seconds latency that trips the guard
 */
public record ChallengerGuard(int window, int minSamples, double maxErrorRate, double maxP95Seconds) {

    /** A rollback: when and why. */
    public record Event(Instant at, String kind, String reason) {}

    public ChallengerGuard {
        if (window < 1 || minSamples < 1 || minSamples > window) {
            throw new IllegalArgumentException("guard window and min samples must satisfy 1 <= min <= window");
        }
    }

    /** 50 generations, judged from 10 on: more than 20% errors or p95 above 30 s rolls back. */
    public static ChallengerGuard defaults() {
        return new ChallengerGuard(50, 10, 0.2, 30);
    }

    /** The sliding window of one challenger. */
    public final class Window {
        private final Deque<double[]> samples = new ArrayDeque<>(); // {failed 0/1, seconds}

        /** Records a generation; returns the reason to roll back, or null. */
        public synchronized String record(boolean failed, double seconds) {
            samples.addLast(new double[] {failed ? 1 : 0, seconds});
            while (samples.size() > window) {
                samples.removeFirst();
            }
            if (samples.size() < minSamples) {
                return null;
            }
            double errors = 0;
            List<Double> latencies = new ArrayList<>();
            for (double[] s : samples) {
                errors += s[0];
                if (s[0] == 0) {
                    latencies.add(s[1]);
                }
            }
            double rate = errors / samples.size();
            if (rate > maxErrorRate) {
                return String.format(
                        java.util.Locale.ROOT,
                        "error rate %.0f%% over the last %d generations exceeds %.0f%%",
                        rate * 100,
                        samples.size(),
                        maxErrorRate * 100);
            }
            if (!latencies.isEmpty()) {
                latencies.sort(Double::compare);
                double p95 =
                        latencies.get(Math.min(latencies.size() - 1, (int) Math.ceil(latencies.size() * 0.95) - 1));
                if (p95 > maxP95Seconds) {
                    return String.format(
                            java.util.Locale.ROOT,
                            "p95 latency %.2f s over the last %d generations exceeds %.2f s",
                            p95,
                            samples.size(),
                            maxP95Seconds);
                }
            }
            return null;
        }

        public synchronized void reset() {
            samples.clear();
        }
    }
}
