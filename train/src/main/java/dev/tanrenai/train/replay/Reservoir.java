package dev.tanrenai.train.replay;

import java.util.SplittableRandom;

/**
 * Reservoir sampling (Vitter's algorithm R) with randomness fixed per item: the decision for the
 * {@code k}-th item ever offered depends only on the seed and {@code k}, so the buffer's content does
 * not depend on how offers were split into runs — and a rerun gives the same buffer.
 */
final class Reservoir {
    private Reservoir() {}

    /**
     * Where the {@code k}-th item (1-based) goes in a reservoir of {@code capacity}: its slot, or -1
     * when it is not kept. Every item ends up kept with probability {@code capacity / seen}.
     */
    static int slotFor(long k, int capacity, long seed) {
        if (k <= capacity) {
            return (int) (k - 1);
        }
        long j = new SplittableRandom(seed ^ (k * 0x9E3779B97F4A7C15L)).nextLong(k); // uniform in [0, k)
        return j < capacity ? (int) j : -1;
    }
}
