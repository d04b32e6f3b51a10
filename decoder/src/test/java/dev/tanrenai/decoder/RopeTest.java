package dev.tanrenai.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** RoPE pairs dimensions the way llama.cpp does: adjacent for NORM (llama), halves for NEOX (qwen2). */
class RopeTest {

    private static DecoderConfig config(RopeStyle style) {
        // one head of 4 dims, base 100: pair 0 turns by p rad, pair 1 by p/10 rad
        return new DecoderConfig("llama", 1, 4, 1, 1, 4, 8, 10, 4, 100f, 1f, 1e-5f, style, false);
    }

    private static float[] rotate(RopeStyle style, float[] x) {
        try (NDManager m = NDManager.newBaseManager()) {
            Rope rope = new Rope(config(style), 2, m);
            NDArray in = m.create(x, new Shape(2, 1, 4)); // [seq 2, heads 1, headDim 4]
            return rope.apply(in).toFloatArray();
        }
    }

    @Test
    void normRotatesAdjacentPairs() {
        float[] out = rotate(RopeStyle.NORM, new float[] {1, 0, 1, 0, 1, 0, 1, 0});
        float c1 = (float) Math.cos(1);
        float s1 = (float) Math.sin(1);
        float c01 = (float) Math.cos(0.1);
        float s01 = (float) Math.sin(0.1);
        // position 0 unchanged; position 1: (x0, x1) by 1 rad, (x2, x3) by 0.1 rad
        assertArrayEquals(new float[] {1, 0, 1, 0, c1, s1, c01, s01}, out, 1e-6f);
    }

    @Test
    void neoxRotatesHalves() {
        float[] out = rotate(RopeStyle.NEOX, new float[] {1, 1, 0, 0, 1, 1, 0, 0});
        float c1 = (float) Math.cos(1);
        float s1 = (float) Math.sin(1);
        float c01 = (float) Math.cos(0.1);
        float s01 = (float) Math.sin(0.1);
        // position 1: (x0, x2) by 1 rad, (x1, x3) by 0.1 rad
        assertArrayEquals(new float[] {1, 1, 0, 0, c1, c01, s1, s01}, out, 1e-6f);
    }
}
