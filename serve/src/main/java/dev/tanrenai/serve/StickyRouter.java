package dev.tanrenai.serve;

import dev.tanrenai.datasets.provenance.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * Sticky A/B assignment: a user (or, without one, a conversation) is hashed to a number in [0, 1)
 * and goes to the challenger when it falls below the challenger's share. The same key always gets
 * the same arm while the share stays, and raising the share only moves champion users over.
 */
public final class StickyRouter {
    private StickyRouter() {}

    /** The position of {@code key} in [0, 1): the first 53 bits of its SHA-256. */
    public static double position(String key) {
        String hex = Sha256.ofBytes(key.getBytes(StandardCharsets.UTF_8));
        long bits = Long.parseUnsignedLong(hex.substring(0, 14), 16); // 56 bits
        return (bits >>> 3) / (double) (1L << 53);
    }

    public static Arm route(String key, double challengerShare) {
        return position(key) < challengerShare ? Arm.CHALLENGER : Arm.CHAMPION;
    }
}
