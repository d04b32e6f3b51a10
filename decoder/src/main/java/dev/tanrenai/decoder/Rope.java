package dev.tanrenai.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings for given token positions: angle of pair {@code i} at position
 * {@code p} is {@code p · freqScale · base^(-2i / ropeDim)}, pairs chosen by the {@link RopeStyle}.
 */
final class Rope {
    private final DecoderConfig config;
    private final NDArray cos; // [seq, 1, ropeDim/2]
    private final NDArray sin; // [seq, 1, ropeDim/2]

    /** Positions {@code 0..seq-1}. */
    Rope(DecoderConfig config, int seq, NDManager m) {
        this(config, java.util.stream.IntStream.range(0, seq).toArray(), m);
    }

    /** One position per token, e.g. restarting at 0 for each example packed into one sequence. */
    Rope(DecoderConfig config, int[] positions, NDManager m) {
        this.config = config;
        int seq = positions.length;
        int half = config.ropeDim() / 2;
        float[] c = new float[seq * half];
        float[] s = new float[seq * half];
        for (int p = 0; p < seq; p++) {
            for (int i = 0; i < half; i++) {
                double theta = positions[p]
                        * (double) config.ropeFreqScale()
                        * StrictMath.pow(config.ropeFreqBase(), -2.0 * i / config.ropeDim());
                c[p * half + i] = (float) StrictMath.cos(theta);
                s[p * half + i] = (float) StrictMath.sin(theta);
            }
        }
        this.cos = Tensors.of(m, c, new Shape(seq, 1, half));
        this.sin = Tensors.of(m, s, new Shape(seq, 1, half));
    }

    /** Cosines of the angles, {@code [seq, 1, ropeDim/2]}. */
    NDArray cos() {
        return cos;
    }

    /** Sines of the angles, {@code [seq, 1, ropeDim/2]}. */
    NDArray sin() {
        return sin;
    }

    /** Rotates {@code x} of shape {@code [seq, heads, headDim]}. */
    NDArray apply(NDArray x) {
        long seq = x.getShape().get(0);
        long heads = x.getShape().get(1);
        int hd = config.headDim();
        int rd = config.ropeDim();
        int half = rd / 2;
        NDArray rotated = x.get(new NDIndex(":, :, :{}", rd)); // [seq, heads, rd]
        NDArray x0;
        NDArray x1;
        if (config.ropeStyle() == RopeStyle.NORM) {
            NDArray pairs = rotated.reshape(seq, heads, half, 2); // [seq, heads, half, 2]
            x0 = pairs.get(new NDIndex(":, :, :, 0")); // [seq, heads, half]
            x1 = pairs.get(new NDIndex(":, :, :, 1"));
        } else {
            x0 = rotated.get(new NDIndex(":, :, :{}", half));
            x1 = rotated.get(new NDIndex(":, :, {}:", half));
        }
        NDArray r0 = x0.mul(cos).sub(x1.mul(sin)); // [seq, heads, half]
        NDArray r1 = x0.mul(sin).add(x1.mul(cos));
        NDArray out = config.ropeStyle() == RopeStyle.NORM
                ? NDArrays.stack(new NDList(r0, r1), -1).reshape(seq, heads, rd) // interleave back
                : NDArrays.concat(new NDList(r0, r1), -1);
        if (rd < hd) {
            out = NDArrays.concat(new NDList(out, x.get(new NDIndex(":, :, {}:", rd))), -1);
        }
        return out;
    }
}
