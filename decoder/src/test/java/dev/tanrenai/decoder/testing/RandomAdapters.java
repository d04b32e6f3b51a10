package dev.tanrenai.decoder.testing;

import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.models.gguf.GgufWriter;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;

/** Seeded random LoRA adapters for tiny models, written the way llama.cpp reads them. */
public final class RandomAdapters {
    private RandomAdapters() {}

    public static void write(
            TinyModelSpec spec, Set<LoraTarget> targets, int rank, float alpha, float std, long seed, Path out)
            throws IOException {
        GgufWriter w = new GgufWriter()
                .putString("general.type", "adapter")
                .putString("general.architecture", spec.architecture().ggufName())
                .putString("adapter.type", "lora")
                .putFloat32("adapter.lora.alpha", alpha);
        Random random = new Random(seed);
        int kv = spec.headCountKv() * spec.headDim();
        for (int block = 0; block < spec.blockCount(); block++) {
            for (LoraTarget t : targets) {
                int[] io =
                        switch (t) {
                            case Q -> new int[] {spec.embeddingLength(), spec.embeddingLength()};
                            case K, V -> new int[] {spec.embeddingLength(), kv};
                            case O -> new int[] {spec.embeddingLength(), spec.embeddingLength()};
                            case GATE, UP -> new int[] {spec.embeddingLength(), spec.feedForwardLength()};
                            case DOWN -> new int[] {spec.feedForwardLength(), spec.embeddingLength()};
                        };
                float[] a = new float[rank * io[0]]; // ggml [nIn, r]
                float[] b = new float[io[1] * rank]; // ggml [r, nOut]
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (random.nextGaussian() * std);
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) (random.nextGaussian() * std);
                }
                String base = t.baseTensor(block);
                w.addF32(base + ".lora_a", new long[] {io[0], rank}, a);
                w.addF32(base + ".lora_b", new long[] {rank, io[1]}, b);
            }
        }
        w.write(out);
    }
}
