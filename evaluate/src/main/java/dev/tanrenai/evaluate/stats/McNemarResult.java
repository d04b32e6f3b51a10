package dev.tanrenai.evaluate.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * McNemar's exact test on a paired 0/1 metric: the discordant pairs and the two-sided p-value.
 *
 * @param b items the baseline got right (1) and the candidate wrong (0): forgotten
 * @param c items the baseline got wrong (0) and the candidate right (1): learned
 * @param p {@link McNemar#exactTwoSidedP(int, int)} of {@code b} and {@code c}
 */
public record McNemarResult(int b, int c, double p) {

    public McNemarResult {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("McNemar: counts must be >= 0, got b=" + b + ", c=" + c);
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("McNemar: p must be in [0, 1], got " + p);
        }
    }

    /** The test for {@code b} and {@code c} discordant pairs. */
    public static McNemarResult of(int b, int c) {
        return new McNemarResult(b, c, McNemar.exactTwoSidedP(b, c));
    }

    /** The fields as a map, for report JSON. */
    public Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b_baseline1_candidate0", b);
        map.put("c_baseline0_candidate1", c);
        map.put("p", p);
        return map;
    }
}
