package dev.tanrenai.decoder.lora;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The shape of a LoRA adapter.
 *
 * @param rank r, the inner width of each A/B pair
 * @param alpha scaling numerator: the applied delta is {@code (alpha / r) · B·A}, as in llama.cpp
 * @param dropout dropout on the adapter's input during training, in [0, 1)
 * @param targets the adapted projections of every block
 * @param seed seed of A's initialisation (B starts at zero, so a new adapter changes nothing)
 */
public record LoraConfig(int rank, float alpha, float dropout, Set<LoraTarget> targets, long seed) {

    public LoraConfig {
        if (rank < 1 || rank > 1024) {
            throw new IllegalArgumentException("lora rank must be in [1, 1024], got " + rank);
        }
        if (!(alpha > 0) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("lora alpha must be positive and finite, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("lora dropout must be in [0, 1), got " + dropout);
        }
        Objects.requireNonNull(targets, "targets");
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("lora targets must name at least one projection");
        }
        targets = java.util.Collections.unmodifiableSet(
                EnumSet.copyOf(targets)); // enum order: Set.copyOf would iterate in a per-JVM random order
    }

    /** Rank 8, alpha 16, no dropout, attention projections q, k, v, o. */
    public static LoraConfig defaults(long seed) {
        return new LoraConfig(8, 16f, 0f, EnumSet.of(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.O), seed);
    }

    /** alpha / rank. */
    public float scale() {
        return alpha / rank;
    }
}
