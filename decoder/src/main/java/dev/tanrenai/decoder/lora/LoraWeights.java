package dev.tanrenai.decoder.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import dev.tanrenai.decoder.DecoderConfig;
import dev.tanrenai.decoder.Tensors;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import dev.tanrenai.models.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The trainable factors of a LoRA adapter: for every adapted projection {@code W} ({@code [nOut, nIn]})
 * a pair {@code A} ({@code [r, nIn]}) and {@code B} ({@code [nOut, r]}) with delta {@code (alpha/r)·B·A}.
 * They are the only arrays with gradients; the base stays frozen.
 */
public final class LoraWeights {

    /** One adapted projection's factors. */
    public record Pair(NDArray a, NDArray b) {} // a: [r, nIn], b: [nOut, r]

    private final LoraConfig config;
    private final String architecture;
    private final Map<Integer, Map<LoraTarget, Pair>> pairs; // block -> target -> factors
    private boolean training; // dropout on the adapter's input applies only while training

    private LoraWeights(LoraConfig config, String architecture, Map<Integer, Map<LoraTarget, Pair>> pairs) {
        this.config = config;
        this.architecture = architecture;
        this.pairs = pairs;
    }

    /**
     * New factors for every block of {@code model}: A from a seeded uniform in ±1/√nIn (as PEFT's
     * Kaiming init), B zero — so the new adapter leaves the model's output unchanged.
     */
    public static LoraWeights initialize(LoraConfig config, DecoderConfig model, NDManager manager) {
        SplittableRandom random = new SplittableRandom(config.seed());
        Map<Integer, Map<LoraTarget, Pair>> pairs = new TreeMap<>();
        for (int block = 0; block < model.blockCount(); block++) {
            Map<LoraTarget, Pair> byTarget = new EnumMap<>(LoraTarget.class);
            for (LoraTarget t : config.targets()) { // EnumSet order: deterministic
                int[] io = shape(t, model);
                float[] a = new float[config.rank() * io[0]];
                double bound = 1.0 / StrictMath.sqrt(io[0]);
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (random.nextDouble(-bound, bound));
                }
                NDArray aArray = Tensors.of(manager, a, new Shape(config.rank(), io[0]));
                NDArray bArray = Tensors.of(manager, new float[io[1] * config.rank()], new Shape(io[1], config.rank()));
                aArray.setRequiresGradient(true);
                bArray.setRequiresGradient(true);
                byTarget.put(t, new Pair(aArray, bArray));
            }
            pairs.put(block, byTarget);
        }
        return new LoraWeights(config, model.architecture(), pairs);
    }

    /**
     * Reads a llama.cpp LoRA GGUF (as {@link #writeGguf} writes it, or converted from PEFT) into
     * trainable factors, e.g. to continue the champion adapter. All pairs must share one rank; an
     * {@code adapter.lora.alpha} of 0 (llama.cpp: no alpha scaling) becomes alpha = rank.
     */
    public static LoraWeights load(Path gguf, NDManager manager, long seed) throws IOException {
        return load(gguf, manager, seed, 0f);
    }

    /** As {@link #load(Path, NDManager, long)}, training further with LoRA dropout {@code dropout}. */
    public static LoraWeights load(Path gguf, NDManager manager, long seed, float dropout) throws IOException {
        return load(gguf, manager, seed, dropout, true);
    }

    /**
     * Reads a llama.cpp LoRA GGUF for scoring only: the factors get no gradient, so a forward pass
     * builds no autograd graph (evaluation runs forward-only).
     */
    public static LoraWeights loadFrozen(Path gguf, NDManager manager) throws IOException {
        return load(gguf, manager, 0L, 0f, false);
    }

    private static LoraWeights load(Path gguf, NDManager manager, long seed, float dropout, boolean trainable)
            throws IOException {
        try (GgufFile file = GgufFile.open(gguf)) {
            var md = file.metadata();
            if (!"adapter".equals(md.optionalString("general.type").orElse(null))
                    || !"lora".equals(md.optionalString("adapter.type").orElse(null))) {
                throw new IllegalArgumentException(
                        gguf + " is not a LoRA adapter (general.type=adapter, adapter.type=lora)");
            }
            Map<Integer, Map<LoraTarget, Pair>> pairs = new TreeMap<>();
            java.util.EnumSet<LoraTarget> targets = java.util.EnumSet.noneOf(LoraTarget.class);
            int rank = -1;
            for (GgufTensorInfo t : file.tensors()) {
                if (!t.name().endsWith(".lora_a")) {
                    continue;
                }
                String base = t.name().substring(0, t.name().length() - ".lora_a".length());
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("blk\\.(\\d+)\\.(\\w+)\\.weight")
                        .matcher(base);
                LoraTarget target = m.matches() ? targetOf(m.group(2)) : null;
                if (target == null) {
                    throw new IllegalArgumentException(gguf + ": tensor " + t.name() + " adapts " + base
                            + ", which Tanrenai cannot train (supported: blk.N.{attn_q,attn_k,attn_v,attn_output,"
                            + "ffn_gate,ffn_up,ffn_down}.weight)");
                }
                GgufTensorInfo bInfo = file.tensor(base + ".lora_b");
                int r = Math.toIntExact(t.dim(1)); // lora_a: ggml [nIn, r]
                if (rank >= 0 && r != rank) {
                    throw new IllegalArgumentException(gguf + ": " + t.name() + " has rank " + r + ", others " + rank);
                }
                rank = r;
                NDArray a = Tensors.of(manager, file.dequantize(t.name()), new Shape(r, t.dim(0))); // [r, nIn]
                NDArray b = Tensors.of(manager, file.dequantize(bInfo.name()), new Shape(bInfo.dim(1), r)); // [nOut, r]
                if (trainable) {
                    a.setRequiresGradient(true);
                    b.setRequiresGradient(true);
                }
                pairs.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new EnumMap<>(LoraTarget.class))
                        .put(target, new Pair(a, b));
                targets.add(target);
            }
            if (rank < 0) {
                throw new IllegalArgumentException(gguf + " has no lora_a/lora_b tensor pairs");
            }
            float alpha = md.optionalFloat("adapter.lora.alpha").orElse(0f);
            LoraConfig config = new LoraConfig(rank, alpha > 0 ? alpha : rank, dropout, targets, seed);
            return new LoraWeights(config, md.getString("general.architecture"), pairs);
        }
    }

    private static LoraTarget targetOf(String tensor) {
        for (LoraTarget t : LoraTarget.values()) {
            if (t.baseTensor(0).equals("blk.0." + tensor + ".weight")) {
                return t;
            }
        }
        return null;
    }

    /** {nIn, nOut} of a target's base projection. */
    static int[] shape(LoraTarget t, DecoderConfig m) {
        int kv = m.headCountKv() * m.headDim();
        return switch (t) {
            case Q -> new int[] {m.dim(), m.headCount() * m.headDim()};
            case K, V -> new int[] {m.dim(), kv};
            case O -> new int[] {m.headCount() * m.headDim(), m.dim()};
            case GATE, UP -> new int[] {m.dim(), m.ffnDim()};
            case DOWN -> new int[] {m.ffnDim(), m.dim()};
        };
    }

    public LoraConfig config() {
        return config;
    }

    /** GGUF {@code general.architecture} of the base model the adapter belongs to. */
    public String architecture() {
        return architecture;
    }

    /**
     * Checks that every pair fits {@code model}: an existing block, A {@code [r, nIn]} and B
     * {@code [nOut, r]} of the adapted projection's shape.
     *
     * @throws IllegalArgumentException naming the first tensor that does not fit
     */
    public void requireCompatible(DecoderConfig model) {
        if (!architecture.equals(model.architecture())) {
            throw new IllegalArgumentException(
                    "the adapter is for architecture " + architecture + ", the model is " + model.architecture());
        }
        pairs.forEach((block, byTarget) -> byTarget.forEach((t, p) -> {
            if (block >= model.blockCount()) {
                throw new IllegalArgumentException(
                        "the adapter adapts block " + block + " but the model has " + model.blockCount() + " blocks");
            }
            int[] io = shape(t, model);
            long[] a = p.a().getShape().getShape();
            long[] b = p.b().getShape().getShape();
            if (a[1] != io[0] || b[0] != io[1]) {
                throw new IllegalArgumentException(t.baseTensor(block) + ": the adapter's factors are A "
                        + p.a().getShape() + " and B " + p.b().getShape() + ", the model needs A [r, " + io[0]
                        + "] and B [" + io[1] + ", r]");
            }
        }));
    }

    /** The factors of {@code target} in {@code block}, or null when it is not adapted. */
    public Pair pair(int block, LoraTarget target) {
        Map<LoraTarget, Pair> byTarget = pairs.get(block);
        return byTarget == null ? null : byTarget.get(target);
    }

    /** Every pair by its base tensor's name ({@code blk.0.attn_q.weight}), in name order. */
    public Map<String, Pair> pairsByTensor() {
        Map<String, Pair> byName = new TreeMap<>();
        pairs.forEach((block, byTarget) -> byTarget.forEach((t, p) -> byName.put(t.baseTensor(block), p)));
        return byName;
    }

    /**
     * Switches LoRA dropout on (training) or off (evaluation and export). Dropout masks come from the
     * engine's random generator, which the training loop seeds per step, so they are repeatable.
     */
    public void setTraining(boolean training) {
        this.training = training;
    }

    /** Whether LoRA dropout applies (see {@link #setTraining}). */
    public boolean isTraining() {
        return training;
    }

    /**
     * {@code dropout(x)·Aᵀ·Bᵀ·(alpha/r)}: the adapter's addition to {@code x·Wᵀ}, or null when not adapted.
     *
     * @param x {@code [seq, nIn]}
     * @return {@code [seq, nOut]}
     */
    public NDArray delta(NDArray x, int block, LoraTarget target) {
        Pair p = pair(block, target);
        if (p == null) {
            return null;
        }
        NDArray input = training && config.dropout() > 0
                ? Dropout.dropout(x, config.dropout(), true).singletonOrThrow()
                : x; // [seq, nIn]
        return input.matMul(p.a().transpose())
                .matMul(p.b().transpose())
                .mul(dev.tanrenai.decoder.Scalars.of(input, config.scale()));
    }

    /**
     * Writes the adapter as a llama.cpp LoRA GGUF: {@code general.type=adapter}, the base's
     * architecture, {@code adapter.lora.alpha}, and for each base tensor {@code W} the pair
     * {@code W.lora_a} (ggml {@code [nIn, r]}, i.e. A) and {@code W.lora_b} (ggml {@code [r, nOut]}, i.e. B),
     * in name order so the bytes are deterministic.
     */
    public void writeGguf(Path out) throws IOException {
        GgufWriter w = new GgufWriter()
                .putString("general.type", "adapter")
                .putString("general.architecture", architecture)
                .putString("adapter.type", "lora")
                .putFloat32("adapter.lora.alpha", config.alpha());
        for (Map.Entry<String, Pair> e : pairsByTensor().entrySet()) {
            NDArray a = e.getValue().a(); // [r, nIn]
            NDArray b = e.getValue().b(); // [nOut, r]
            w.addF32(
                    e.getKey() + ".lora_a",
                    new long[] {a.getShape().get(1), a.getShape().get(0)},
                    a.toFloatArray());
            w.addF32(
                    e.getKey() + ".lora_b",
                    new long[] {b.getShape().get(1), b.getShape().get(0)},
                    b.toFloatArray());
        }
        w.write(out);
    }
}
