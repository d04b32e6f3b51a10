package dev.tanrenai.models.runtime;

import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * One LoRA factor pair with explicit values, and a writer of adapter GGUF files made of such pairs.
 *
 * @param baseName the adapted base tensor, e.g. {@code blk.0.attn_q.weight}
 * @param aShape ggml shape of A ({@code [nIn, r]}, or {@code [r, nVocab]} for token_embd)
 * @param bShape ggml shape of B ({@code [r, nOut]}, or {@code [r, nEmbd]} for token_embd)
 */
record LoraFactors(String baseName, long[] aShape, float[] a, long[] bShape, float[] b) {

    /** A seeded Gaussian pair for a linear weight of ggml shape [nIn, nOut]. */
    static LoraFactors random(String baseName, int nIn, int nOut, int rank, float aStd, float bStd, long seed) {
        Random random = new Random(seed);
        return new LoraFactors(
                baseName,
                new long[] {nIn, rank},
                gaussian(random, nIn * rank, aStd),
                new long[] {rank, nOut},
                gaussian(random, rank * nOut, bStd));
    }

    /** The same pair with B multiplied by {@code factor}. */
    LoraFactors scaledB(float factor) {
        float[] scaled = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            scaled[i] = factor * b[i];
        }
        return new LoraFactors(baseName, aShape, a, bShape, scaled);
    }

    int rank() {
        return (int) bShape[0];
    }

    /** Writes an adapter GGUF for {@code architecture} with these pairs, tensors stored as {@code type}. */
    static void write(Path out, String architecture, float alpha, GgmlType type, List<LoraFactors> pairs)
            throws IOException {
        GgufWriter w = new GgufWriter();
        w.putString("general.type", "adapter");
        w.putString("general.architecture", architecture);
        w.putString("adapter.type", "lora");
        w.putFloat32("adapter.lora.alpha", alpha);
        for (LoraFactors pair : pairs) {
            w.addTensor(pair.baseName() + ".lora_a", pair.aShape(), type, pair.a());
            w.addTensor(pair.baseName() + ".lora_b", pair.bShape(), type, pair.b());
        }
        w.write(out);
    }

    /**
     * The dense delta {@code B·A} as llama.cpp applies it to a linear weight, row-major [nOut][nIn]
     * (A is [nIn, r] and B is [r, nOut] in ggml order).
     */
    double[][] delta() {
        int nIn = (int) aShape[0];
        int r = (int) aShape[1];
        int nOut = (int) bShape[1];
        double[][] d = new double[nOut][nIn];
        for (int o = 0; o < nOut; o++) {
            for (int i = 0; i < nIn; i++) {
                double sum = 0;
                for (int k = 0; k < r; k++) {
                    sum += (double) b[o * r + k] * a[k * nIn + i];
                }
                d[o][i] = sum;
            }
        }
        return d;
    }

    private static float[] gaussian(Random random, int n, float std) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return values;
    }
}
