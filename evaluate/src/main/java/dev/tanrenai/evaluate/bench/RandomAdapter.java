package dev.tanrenai.evaluate.bench;

import dev.tanrenai.decoder.DecoderConfig;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Seeded random LoRA adapters for a base GGUF, written the way llama.cpp reads them (and
 * {@code LoraWeights.loadFrozen} reads them back): {@code general.type=adapter}, the base's
 * architecture, {@code adapter.type=lora}, {@code adapter.lora.alpha}, and per adapted base tensor
 * {@code W} the pair {@code W.lora_a} (ggml {@code [nIn, r]}) and {@code W.lora_b} (ggml {@code [r, nOut]}).
 *
 * <p>Both factors are drawn uniformly from {@code ±std·√3} (standard deviation {@code std}), so, unlike
 * a freshly initialised adapter (B = 0), the adapter changes the model and two adapters of different
 * seeds give a KL divergence above zero. Benchmarks only: the values mean nothing.
 */
public final class RandomAdapter {

    private RandomAdapter() {}

    /**
     * Writes an adapter of {@code lora}'s rank, alpha and targets for {@code baseModel} to {@code out}.
     *
     * @param std standard deviation of every factor entry, > 0
     * @param seed the seed of the factors (the adapter's bytes are a function of the base's shape,
     *     {@code lora} and {@code seed})
     * @return the base model's decoder shape
     */
    public static DecoderConfig write(Path baseModel, LoraConfig lora, float std, long seed, Path out)
            throws IOException {
        if (!(std > 0) || !Float.isFinite(std)) {
            throw new IllegalArgumentException("the adapter's standard deviation must be positive, got " + std);
        }
        DecoderConfig config;
        try (GgufFile gguf = GgufFile.open(baseModel)) {
            int vocab = Math.toIntExact(gguf.tensor("token_embd.weight").dim(1));
            config = DecoderConfig.from(gguf.metadata(), vocab);
        }
        GgufWriter w = new GgufWriter()
                .putString("general.type", "adapter")
                .putString("general.architecture", config.architecture())
                .putString("adapter.type", "lora")
                .putFloat32("adapter.lora.alpha", lora.alpha());
        SplittableRandom random = new SplittableRandom(seed);
        double bound = std * Math.sqrt(3);
        int r = lora.rank();
        for (int block = 0; block < config.blockCount(); block++) {
            for (LoraTarget t : lora.targets()) { // EnumSet order: deterministic
                int[] io = shape(t, config);
                float[] a = new float[r * io[0]]; // ggml [nIn, r]
                float[] b = new float[io[1] * r]; // ggml [r, nOut]
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) random.nextDouble(-bound, bound);
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) random.nextDouble(-bound, bound);
                }
                String tensor = t.baseTensor(block);
                w.addF32(tensor + ".lora_a", new long[] {io[0], r}, a);
                w.addF32(tensor + ".lora_b", new long[] {r, io[1]}, b);
            }
        }
        w.write(out);
        return config;
    }

    /** {@code {nIn, nOut}} of the projection {@code t} in {@code c}. */
    static int[] shape(LoraTarget t, DecoderConfig c) {
        int q = c.headCount() * c.headDim();
        int kv = c.headCountKv() * c.headDim();
        return switch (t) {
            case Q -> new int[] {c.dim(), q};
            case K, V -> new int[] {c.dim(), kv};
            case O -> new int[] {q, c.dim()};
            case GATE, UP -> new int[] {c.dim(), c.ffnDim()};
            case DOWN -> new int[] {c.ffnDim(), c.dim()};
        };
    }
}
