package dev.tanrenai.evaluate.bench;

import dev.tanrenai.evaluate.score.SequenceScore;
import java.util.List;

/**
 * What scoring in bf16 instead of float32 changes, on the same sequences: per scored token, the
 * absolute difference of the log-probability of the actual next token; per sequence, the paired
 * difference an evaluation compares (candidate's mean log-probability minus the champion's).
 *
 * @param tokens scored tokens compared
 * @param maxAbsLogProb largest per-token |log p(bf16) − log p(fp32)| (nats)
 * @param meanAbsLogProb mean per-token |log p(bf16) − log p(fp32)| (nats)
 * @param meanLogProbShift mean per-token log p(bf16) − log p(fp32): the bias (nats)
 * @param pairedFp32 mean over sequences of (candidate − champion) mean log-probability per token, float32
 * @param pairedBf16 the same in bf16
 * @param maxAbsPairedShift largest per-sequence |paired(bf16) − paired(fp32)| (nats per token)
 */
public record PrecisionAccuracy(
        long tokens,
        double maxAbsLogProb,
        double meanAbsLogProb,
        double meanLogProbShift,
        double pairedFp32,
        double pairedBf16,
        double maxAbsPairedShift) {

    /**
     * Compares scores of the same sequences, each list in the same order.
     *
     * @param candidateFp32 the candidate in float32
     * @param candidateBf16 the candidate in bf16
     * @param championFp32 the champion in float32
     * @param championBf16 the champion in bf16
     */
    public static PrecisionAccuracy of(
            List<SequenceScore> candidateFp32,
            List<SequenceScore> candidateBf16,
            List<SequenceScore> championFp32,
            List<SequenceScore> championBf16) {
        int n = candidateFp32.size();
        if (n == 0 || candidateBf16.size() != n || championFp32.size() != n || championBf16.size() != n) {
            throw new IllegalArgumentException("precision comparison needs four equally long, non-empty score lists,"
                    + " got " + candidateFp32.size() + ", " + candidateBf16.size() + ", " + championFp32.size() + ", "
                    + championBf16.size());
        }
        long tokens = 0;
        double max = 0;
        double sumAbs = 0;
        double sum = 0;
        double pairedFp32 = 0;
        double pairedBf16 = 0;
        double maxPaired = 0;
        for (int s = 0; s < n; s++) {
            float[] fp32 = candidateFp32.get(s).logProbs();
            float[] bf16 = candidateBf16.get(s).logProbs();
            requireSame(candidateFp32.get(s), candidateBf16.get(s));
            requireSame(candidateFp32.get(s), championFp32.get(s));
            requireSame(candidateFp32.get(s), championBf16.get(s));
            for (int i = 0; i < fp32.length; i++) {
                double d = (double) bf16[i] - fp32[i];
                max = Math.max(max, Math.abs(d));
                sumAbs += Math.abs(d);
                sum += d;
            }
            tokens += fp32.length;
            int count = fp32.length;
            double p32 =
                    (candidateFp32.get(s).logProbSum() - championFp32.get(s).logProbSum()) / count;
            double p16 =
                    (candidateBf16.get(s).logProbSum() - championBf16.get(s).logProbSum()) / count;
            pairedFp32 += p32;
            pairedBf16 += p16;
            maxPaired = Math.max(maxPaired, Math.abs(p16 - p32));
        }
        return new PrecisionAccuracy(
                tokens, max, sumAbs / tokens, sum / tokens, pairedFp32 / n, pairedBf16 / n, maxPaired);
    }

    private static void requireSame(SequenceScore a, SequenceScore b) {
        if (!a.requestId().equals(b.requestId()) || a.count() != b.count()) {
            throw new IllegalArgumentException("scores of different sequences compared: " + a.requestId() + " ("
                    + a.count() + " tokens) and " + b.requestId() + " (" + b.count() + " tokens)");
        }
    }
}
