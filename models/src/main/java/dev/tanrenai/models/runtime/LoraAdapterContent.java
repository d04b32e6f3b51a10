package dev.tanrenai.models.runtime;

import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufMetadata;
import dev.tanrenai.models.gguf.GgufMetadataException;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One LoRA adapter GGUF read into F32 factor pairs and checked against its base model the way
 * llama.cpp b4916's {@code llama_adapter_lora_init_impl} checks it, so that a composed adapter is
 * only built from adapters llama.cpp would have accepted.
 *
 * @param file the adapter file
 * @param alpha {@code adapter.lora.alpha} (0 when absent, as in llama.cpp)
 * @param pairs factor pairs by base tensor name, sorted by name
 */
record LoraAdapterContent(Path file, float alpha, Map<String, LoraPair> pairs) {
    static final String SUFFIX_A = ".lora_a";
    static final String SUFFIX_B = ".lora_b";
    private static final String TOKEN_EMBEDDING = "token_embd.weight";

    LoraAdapterContent {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(pairs, "pairs");
        pairs = Collections.unmodifiableMap(new TreeMap<>(pairs));
    }

    /** How a pair's factors relate to its base tensor (llama.cpp treats the token embedding apart). */
    enum Layout {
        /** Linear weight [nIn, nOut]: A is [nIn, r], B is [r, nOut]; delta = B·A. */
        MATMUL,
        /** Token embedding [nEmbd, nVocab]: A is [r, nVocab], B is [r, nEmbd] (rows looked up in A). */
        TOKEN_EMBEDDING
    }

    /**
     * The two factors of one adapted base tensor, dequantized to F32 in ggml order.
     *
     * @param rank r, read from B's ne[0] as llama.cpp does
     */
    record LoraPair(String baseName, Layout layout, long[] aShape, float[] a, long[] bShape, float[] b, int rank) {
        LoraPair {
            Objects.requireNonNull(baseName, "baseName");
            Objects.requireNonNull(layout, "layout");
            aShape = aShape.clone();
            bShape = bShape.clone();
        }

        @Override
        public long[] aShape() {
            return aShape.clone();
        }

        @Override
        public long[] bShape() {
            return bShape.clone();
        }
    }

    /**
     * Reads {@code adapter} and checks it against {@code base}: general.type = adapter, adapter.type =
     * lora, the base's architecture, only {@code .lora_a}/{@code .lora_b} (and ignored {@code
     * _norm.weight}) tensors, complete pairs on 2-D base tensors with matching n_in, n_out and rank.
     *
     * @throws ModelLoadException naming the adapter file (and tensor) on the first problem
     */
    static LoraAdapterContent read(Path adapter, GgufFile base) {
        ModelFileCheck.requireGguf(adapter, "LoRA adapter");
        String baseArchitecture = architectureOf(base.metadata(), base.path());
        try (GgufFile gguf = GgufFile.open(adapter)) {
            GgufMetadata meta = gguf.metadata();
            requireString(meta, adapter, "general.type", "adapter");
            requireString(meta, adapter, "adapter.type", "lora");
            String architecture = architectureOf(meta, adapter);
            if (!architecture.equals(baseArchitecture)) {
                throw new ModelLoadException(
                        adapter,
                        "LoRA adapter is for architecture '" + architecture + "' but the base model " + base.path()
                                + " is '" + baseArchitecture + "'");
            }
            float alpha = alphaOf(meta, adapter);
            Map<String, LoraPair> pairs = new TreeMap<>();
            for (GgufTensorInfo tensor : gguf.tensors()) {
                String name = tensor.name();
                if (name.endsWith(SUFFIX_A)) {
                    String baseName = name.substring(0, name.length() - SUFFIX_A.length());
                    pairs.put(baseName, readPair(gguf, base, baseName));
                } else if (name.endsWith(SUFFIX_B)) {
                    String baseName = name.substring(0, name.length() - SUFFIX_B.length());
                    if (gguf.findTensor(baseName + SUFFIX_A).isEmpty()) {
                        throw new ModelLoadException(
                                adapter, "tensor " + name + " has no matching " + baseName + SUFFIX_A);
                    }
                } else if (!name.endsWith("_norm.weight")) {
                    // llama.cpp skips *_norm.weight and rejects every other suffix
                    throw new ModelLoadException(
                            adapter, "tensor " + name + " is neither " + SUFFIX_A + " nor " + SUFFIX_B);
                }
            }
            if (pairs.isEmpty()) {
                throw new ModelLoadException(adapter, "LoRA adapter has no " + SUFFIX_A + "/" + SUFFIX_B + " pairs");
            }
            return new LoraAdapterContent(adapter, alpha, pairs);
        } catch (GgufMetadataException e) {
            throw new ModelLoadException(adapter, "bad LoRA adapter metadata: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException(adapter, "cannot read the LoRA adapter: " + e.getMessage(), e);
        }
    }

    /** The factor {@code scale * alpha / r} (or {@code scale} when alpha is 0) llama.cpp applies to B·A. */
    float effectiveScale(float userScale, LoraPair pair) {
        return alpha != 0f ? userScale * alpha / (float) pair.rank() : userScale;
    }

    private static LoraPair readPair(GgufFile adapter, GgufFile base, String baseName) throws IOException {
        Path file = adapter.path();
        GgufTensorInfo a = adapter.tensor(baseName + SUFFIX_A);
        GgufTensorInfo b = adapter.findTensor(baseName + SUFFIX_B)
                .orElseThrow(() ->
                        new ModelLoadException(file, "tensor " + a.name() + " has no matching " + baseName + SUFFIX_B));
        GgufTensorInfo w = base.findTensor(baseName)
                .orElseThrow(() -> new ModelLoadException(
                        file,
                        "tensor " + a.name() + " adapts " + baseName + ", which the base model " + base.path()
                                + " does not have"));
        if (a.rank() != 2 || b.rank() != 2 || w.rank() != 2) {
            throw new ModelLoadException(
                    file,
                    "tensor pair " + baseName + " must be 2-D on a 2-D base tensor; got A " + Arrays.toString(a.shape())
                            + ", B " + Arrays.toString(b.shape()) + ", base " + Arrays.toString(w.shape()));
        }
        Layout layout = baseName.endsWith(TOKEN_EMBEDDING) ? Layout.TOKEN_EMBEDDING : Layout.MATMUL;
        boolean fits;
        switch (layout) {
            case MATMUL -> // base [nIn, nOut], A [nIn, r], B [r, nOut]
                fits = w.dim(0) == a.dim(0) && w.dim(1) == b.dim(1) && a.dim(1) == b.dim(0);
            case TOKEN_EMBEDDING -> // base [nEmbd, nVocab], A [r, nVocab], B [r, nEmbd]
                fits = w.dim(0) == b.dim(1) && w.dim(1) == a.dim(1) && a.dim(0) == b.dim(0);
            default -> throw new IllegalStateException("unhandled layout " + layout);
        }
        if (!fits) {
            throw new ModelLoadException(
                    file,
                    "tensor pair " + baseName + " (" + layout + ") has A " + Arrays.toString(a.shape()) + " and B "
                            + Arrays.toString(b.shape()) + ", which do not fit the base tensor's shape "
                            + Arrays.toString(w.shape()) + " in " + base.path());
        }
        int rank = Math.toIntExact(b.dim(0));
        return new LoraPair(
                baseName,
                layout,
                a.shape(),
                adapter.dequantize(a.name()),
                b.shape(),
                adapter.dequantize(b.name()),
                rank);
    }

    private static void requireString(GgufMetadata meta, Path file, String key, String expected) {
        String actual = meta.optionalString(key).orElse("");
        if (!actual.equals(expected)) {
            throw new ModelLoadException(
                    file, "not a LoRA adapter: " + key + " is '" + actual + "', expected '" + expected + "'");
        }
    }

    private static String architectureOf(GgufMetadata meta, Path file) {
        return meta.optionalString("general.architecture")
                .orElseThrow(() -> new ModelLoadException(file, "general.architecture is missing"));
    }

    private static float alphaOf(GgufMetadata meta, Path file) {
        float alpha = meta.optionalFloat("adapter.lora.alpha").orElse(0f);
        if (!Float.isFinite(alpha)) {
            throw new ModelLoadException(file, "adapter.lora.alpha is " + alpha + ", not finite");
        }
        return alpha;
    }
}
