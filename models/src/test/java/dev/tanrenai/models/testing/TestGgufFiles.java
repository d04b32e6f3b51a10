package dev.tanrenai.models.testing;

import dev.tanrenai.models.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/** Writes small LoRA adapter GGUF files for tests, in the layout llama.cpp's adapter loader expects. */
public final class TestGgufFiles {
    private TestGgufFiles() {}

    /**
     * Writes a LoRA adapter on {@code blk.N.attn_q.weight} and {@code blk.N.ffn_down.weight} of every
     * block. A is seeded Gaussian; B is zero when {@code bScale} is 0, else seeded Gaussian times
     * {@code bScale}.
     *
     * @param architecture the {@code general.architecture} to declare
     * @param blocks block count of the base model
     * @param dim embedding length of the base model
     * @param ffn feed-forward length of the base model
     * @param rank LoRA rank r
     */
    public static void writeLoraAdapter(
            Path out, String architecture, int blocks, int dim, int ffn, int rank, float bScale, long seed)
            throws IOException {
        Random random = new Random(seed);
        GgufWriter w = new GgufWriter();
        w.putString("general.type", "adapter");
        w.putString("general.architecture", architecture);
        w.putString("adapter.type", "lora");
        w.putFloat32("adapter.lora.alpha", rank);
        for (int b = 0; b < blocks; b++) {
            addPair(w, "blk." + b + ".attn_q.weight", dim, dim, rank, bScale, random);
            addPair(w, "blk." + b + ".ffn_down.weight", ffn, dim, rank, bScale, random);
        }
        w.write(out);
    }

    private static void addPair(GgufWriter w, String base, int nIn, int nOut, int rank, float bScale, Random random) {
        float[] a = new float[nIn * rank]; // ggml shape [nIn, r]
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (random.nextGaussian() * 0.5);
        }
        float[] b = new float[rank * nOut]; // ggml shape [r, nOut]
        for (int i = 0; i < b.length; i++) {
            b[i] = bScale == 0f ? 0f : (float) (random.nextGaussian() * bScale);
        }
        w.addF32(base + ".lora_a", new long[] {nIn, rank}, a);
        w.addF32(base + ".lora_b", new long[] {rank, nOut}, b);
    }
}
