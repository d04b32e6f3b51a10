package dev.tanrenai.experiment;

/**
 * The mixture sequential probability ratio test for the difference of two means (Johari, Pekelis and
 * Walsh, "Always valid inference", 2017): with the effect estimate {@code d = meanB - meanA}, its
 * variance {@code V = varA/nA + varB/nB} and a normal mixing distribution of effects with standard
 * deviation {@code tau},
 *
 * <pre>  Lambda = sqrt(V / (V + tau^2)) * exp(tau^2 d^2 / (2 V (V + tau^2)))</pre>
 *
 * is a (asymptotic) martingale under "no difference", so by Ville's inequality it ever reaches
 * {@code 1/alpha} with probability at most {@code alpha}, however often it is looked at. Inverting it
 * gives an always-valid confidence sequence for the effect.
 */
public final class Msprt {
    private Msprt() {}

    /**
     * One look at the test.
     *
     * @param effect {@code meanB - meanA}
     * @param variance {@code V}, the effect estimate's variance
     * @param logLambda the log mixture likelihood ratio
     * @param logThreshold {@code log(1/alpha)}: the boundary
     * @param halfWidth half-width of the always-valid (1 - alpha) confidence interval around the effect
     */
    public record Result(double effect, double variance, double logLambda, double logThreshold, double halfWidth) {
        public boolean crossed() {
            return logLambda >= logThreshold;
        }

        public double lower() {
            return effect - halfWidth;
        }

        public double upper() {
            return effect + halfWidth;
        }
    }

    /** The test on two arms' per-user statistics (A the champion, B the challenger). */
    public static Result test(PrimaryStats a, PrimaryStats b, double tau, double alpha) {
        if (a.n() < 2 || b.n() < 2) {
            throw new IllegalArgumentException(
                    "the sequential test needs at least 2 users per arm, got " + a.n() + " and " + b.n());
        }
        double v = a.variance() / a.n() + b.variance() / b.n();
        // a variance of 0 (every user identical) would make the ratio infinite: floor it at one rating's worth
        v = Math.max(v, 1e-9);
        return test(b.mean() - a.mean(), v, tau, alpha);
    }

    /** The test for an effect estimate {@code effect} with variance {@code v}. */
    public static Result test(double effect, double v, double tau, double alpha) {
        double t2 = tau * tau;
        double logLambda = 0.5 * Math.log(v / (v + t2)) + t2 * effect * effect / (2 * v * (v + t2));
        double logThreshold = Math.log(1 / alpha);
        double halfWidth = Math.sqrt(v * (v + t2) / t2 * (2 * logThreshold + Math.log((v + t2) / v)));
        return new Result(effect, v, logLambda, logThreshold, halfWidth);
    }

    /**
     * The users (of both arms together) after which an effect of exactly {@code effect} puts the test on
     * its boundary, with per-user outcome variances {@code varA} and {@code varB} and a challenger share
     * of {@code share}: about where the test stops when the true effect is {@code effect} (it stops on
     * the first crossing, so half the experiments stop somewhat earlier, half later).
     */
    public static long usersToDetect(double effect, double varA, double varB, double share, double tau, double alpha) {
        if (effect == 0 || !(share > 0 && share < 1)) {
            throw new IllegalArgumentException("usersToDetect needs a non-zero effect and a share in (0, 1)");
        }
        long lo = 4;
        long hi = 4;
        while (!crossedAt(hi, effect, varA, varB, share, tau, alpha)) {
            hi *= 2;
            if (hi > 1L << 40) {
                throw new IllegalArgumentException("an effect of " + effect + " is never detected");
            }
        }
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (crossedAt(mid, effect, varA, varB, share, tau, alpha)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static boolean crossedAt(
            long users, double effect, double varA, double varB, double share, double tau, double alpha) {
        double v = varA / (users * (1 - share)) + varB / (users * share);
        return test(effect, v, tau, alpha).crossed();
    }
}
