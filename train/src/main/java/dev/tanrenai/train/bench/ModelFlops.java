package dev.tanrenai.train.bench;

import dev.tanrenai.decoder.DecoderConfig;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraTarget;

/**
 * Floating-point operations of one LoRA training step on one sequence of {@code T} tokens.
 *
 * <ul>
 *   <li>Forward: {@code 2·T} per weight of every matrix (projections, feed-forward, output), plus
 *       attention's two {@code T×T} products per head ({@code 4·T²·headDim} per head and block),
 *       plus the adapters' {@code 2·T·r·(nIn+nOut)}.
 *   <li>Backward: the gradient with respect to the activations costs what the forward costs; the
 *       frozen base needs no weight gradients, the adapters' factors do ({@code 2·T·r·(nIn+nOut)}).
 * </ul>
 * So a step is {@code 2·forward + adapter weight gradients}: the "6·N·T" rule of full fine-tuning
 * becomes about {@code 4·N·T} for LoRA.
 */
public final class ModelFlops {
    private ModelFlops() {}

    /** Weights of the model's matrices (embedding lookup excluded: it is a gather, not a product). */
    public static long matrixParameters(DecoderConfig c) {
        long kv = (long) c.headCountKv() * c.headDim();
        long attention = (long) c.dim() * c.headCount() * c.headDim() * 2 + 2L * c.dim() * kv;
        long feedForward = 3L * c.dim() * c.ffnDim();
        return c.blockCount() * (attention + feedForward) + (long) c.dim() * c.vocabSize();
    }

    /** All weights including the token embedding. */
    public static long parameters(DecoderConfig c) {
        return matrixParameters(c) + (long) c.dim() * c.vocabSize();
    }

    public static double forward(DecoderConfig c, LoraConfig lora, int tokens) {
        double t = tokens;
        double dense = 2 * t * matrixParameters(c);
        double attention = 4 * t * t * c.headDim() * c.headCount() * c.blockCount();
        return dense + attention + adapter(c, lora, tokens);
    }

    public static double trainingStep(DecoderConfig c, LoraConfig lora, int tokens) {
        return 2 * forward(c, lora, tokens) + adapter(c, lora, tokens);
    }

    private static double adapter(DecoderConfig c, LoraConfig lora, int tokens) {
        long kv = (long) c.headCountKv() * c.headDim();
        double sum = 0;
        for (LoraTarget t : lora.targets()) {
            long[] io =
                    switch (t) {
                        case Q -> new long[] {c.dim(), (long) c.headCount() * c.headDim()};
                        case K, V -> new long[] {c.dim(), kv};
                        case O -> new long[] {(long) c.headCount() * c.headDim(), c.dim()};
                        case GATE, UP -> new long[] {c.dim(), c.ffnDim()};
                        case DOWN -> new long[] {c.ffnDim(), c.dim()};
                    };
            sum += 2.0 * tokens * lora.rank() * (io[0] + io[1]);
        }
        return sum * c.blockCount();
    }
}
