package dev.tanrenai.decoder;

import ai.djl.ndarray.NDArray;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * bfloat16 copies of a model's block projections ({@code q, k, v, o, gate, up, down}), made once and
 * shared by every {@link DecoderModel} over the same base weights that scores in {@link
 * Precision#BFLOAT16}. The float32 weights stay as they are (training and float32 scoring use them).
 */
public final class Bf16Weights {

    private final Bf16 cast;
    private final Map<NDArray, NDArray> lowered = new IdentityHashMap<>();

    private Bf16Weights(Bf16 cast) {
        this.cast = cast;
    }

    /** Lowers every block projection of {@code weights}; the copies live (and are freed) with the weights. */
    public static Bf16Weights of(DecoderWeights weights) {
        Bf16Weights w = new Bf16Weights(Bf16.load(weights.outputNorm().getManager()));
        for (DecoderWeights.Block b : weights.blocks()) {
            for (NDArray wT : new NDArray[] {b.wqT(), b.wkT(), b.wvT(), b.woT(), b.wGateT(), b.wUpT(), b.wDownT()}) {
                w.lowered.put(wT, w.cast.lower(wT));
            }
        }
        return w;
    }

    Bf16 cast() {
        return cast;
    }

    /** The bf16 copy of the float32 projection {@code wT}. */
    NDArray of(NDArray wT) {
        NDArray low = lowered.get(wT);
        if (low == null) {
            throw new IllegalArgumentException("no bf16 copy of a weight of shape " + wT.getShape()
                    + ": these bf16 weights were made from another model's weights");
        }
        return low;
    }
}
