package dev.tanrenai.models.runtime;

import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufWriter;
import dev.tanrenai.models.runtime.LoraAdapterContent.Layout;
import dev.tanrenai.models.runtime.LoraAdapterContent.LoraPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Composes LoRA adapters applied at given scales into ONE equivalent adapter GGUF that llama.cpp
 * loads at scale 1 (java-llama.cpp 4.2.0 can load neither a scaled adapter nor more than one).
 *
 * <p>llama.cpp b4916 adds {@code s_i * B_i·A_i} per adapter, with {@code s_i = scale_i * alpha_i /
 * r_i} ({@code scale_i} when alpha is 0, r from B's ne[0]). The sum equals {@code B'·A'} where A'
 * stacks the rows of all A_i (rank r' = Σ r_i) and B' puts the columns {@code s_i·B_i} side by side;
 * written with {@code adapter.lora.alpha = 0} so llama.cpp applies it unscaled. A base tensor
 * adapted by only some adapters gets only their parts. Factors are written as F32.
 *
 * <p>The result is {@code <cacheDir>/composed-<key>.gguf}, key = SHA-256 prefix over the base's and
 * each adapter's SHA-256 and scale; same inputs give the same bytes, and an existing file whose
 * recorded key matches is reused.
 */
public final class AdapterComposer {
    /** Metadata key holding the full composition key of a composed file. */
    public static final String KEY_METADATA = "tanrenai.lora.composition.key";
    /** Metadata key listing the source adapters as "sha256 scale" strings, in order. */
    public static final String SOURCES_METADATA = "tanrenai.lora.composition.sources";

    private static final int NAME_KEY_CHARS = 16;

    private AdapterComposer() {}

    /**
     * Writes (or reuses) the composition of {@code adapters} over {@code baseModel} in {@code cacheDir}.
     *
     * @return the composed adapter file
     * @throws ModelLoadException naming the file (and tensor) when an input is missing or not a LoRA
     *     adapter for this base, or the result cannot be written
     */
    public static Path compose(Path baseModel, List<LoraAdapterRef> adapters, Path cacheDir) {
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(cacheDir, "cacheDir");
        if (adapters == null || adapters.isEmpty()) {
            throw new IllegalArgumentException("at least one adapter is needed to compose, got none");
        }
        ModelFileCheck.requireGguf(baseModel, "base model");
        List<String> sources = new ArrayList<>();
        StringBuilder keyText = new StringBuilder("tanrenai lora composition v1\nbase ")
                .append(sha256(baseModel))
                .append('\n');
        for (LoraAdapterRef ref : adapters) {
            ModelFileCheck.requireGguf(ref.path(), "LoRA adapter");
            String source = sha256(ref.path()) + " " + Float.toHexString(ref.scale());
            sources.add(source);
            keyText.append("adapter ").append(source).append('\n');
        }
        String key = Sha256.ofBytes(keyText.toString().getBytes(StandardCharsets.UTF_8));
        Path target =
                cacheDir.toAbsolutePath().normalize().resolve("composed-" + key.substring(0, NAME_KEY_CHARS) + ".gguf");
        if (isVerifiedComposition(target, key)) {
            return target;
        }
        GgufWriter writer = composeInto(baseModel, adapters, key, sources);
        try {
            writer.write(target);
        } catch (IOException e) {
            throw new ModelLoadException(target, "cannot write the composed LoRA adapter: " + e.getMessage(), e);
        }
        return target;
    }

    private static GgufWriter composeInto(
            Path baseModel, List<LoraAdapterRef> adapters, String key, List<String> sources) {
        String architecture;
        List<LoraAdapterContent> contents = new ArrayList<>();
        try (GgufFile base = GgufFile.open(baseModel)) {
            architecture = base.metadata().getString("general.architecture");
            for (LoraAdapterRef ref : adapters) {
                contents.add(LoraAdapterContent.read(ref.path(), base));
            }
        } catch (IOException e) {
            throw new ModelLoadException(baseModel, "cannot read the base model: " + e.getMessage(), e);
        }
        // base tensor name -> the parts of each adapter that adapts it, in adapter order
        Map<String, List<ScaledPair>> byTensor = new TreeMap<>();
        for (int i = 0; i < contents.size(); i++) {
            LoraAdapterContent content = contents.get(i);
            for (LoraPair pair : content.pairs().values()) {
                float factor = content.effectiveScale(adapters.get(i).scale(), pair);
                byTensor.computeIfAbsent(pair.baseName(), n -> new ArrayList<>())
                        .add(new ScaledPair(pair, factor));
            }
        }
        GgufWriter writer = new GgufWriter();
        writer.putString("general.type", "adapter");
        writer.putString("general.architecture", architecture);
        writer.putString("adapter.type", "lora");
        writer.putFloat32("adapter.lora.alpha", 0f); // B' already carries every adapter's scale
        writer.putString(KEY_METADATA, key);
        writer.putStringArray(SOURCES_METADATA, sources);
        for (Map.Entry<String, List<ScaledPair>> entry : byTensor.entrySet()) {
            addStacked(writer, entry.getKey(), entry.getValue());
        }
        return writer;
    }

    private record ScaledPair(LoraPair pair, float factor) {}

    private static void addStacked(GgufWriter writer, String baseName, List<ScaledPair> parts) {
        Layout layout = parts.get(0).pair().layout();
        long[] aShape0 = parts.get(0).pair().aShape();
        long[] bShape0 = parts.get(0).pair().bShape();
        int totalRank = 0;
        for (ScaledPair part : parts) {
            totalRank = Math.addExact(totalRank, part.pair().rank());
        }
        List<float[]> aParts = new ArrayList<>();
        List<float[]> bParts = new ArrayList<>();
        int[] ranks = new int[parts.size()];
        float[] ones = new float[parts.size()];
        float[] factors = new float[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            aParts.add(parts.get(i).pair().a());
            bParts.add(parts.get(i).pair().b());
            ranks[i] = parts.get(i).pair().rank();
            ones[i] = 1f;
            factors[i] = parts.get(i).factor();
        }
        switch (layout) {
            case MATMUL -> {
                int nIn = Math.toIntExact(aShape0[0]);
                int nOut = Math.toIntExact(bShape0[1]);
                // A' [nIn, r']: the r_i rows of each A_i one after another
                writer.addF32(baseName + LoraAdapterContent.SUFFIX_A, new long[] {nIn, totalRank}, appendRows(aParts));
                // B' [r', nOut]: each output row is [s_1·B_1 row | s_2·B_2 row | ...]
                writer.addF32(
                        baseName + LoraAdapterContent.SUFFIX_B,
                        new long[] {totalRank, nOut},
                        joinColumns(bParts, ranks, nOut, factors));
            }
            case TOKEN_EMBEDDING -> {
                int nVocab = Math.toIntExact(aShape0[1]);
                int nEmbd = Math.toIntExact(bShape0[1]);
                // A' [r', nVocab] and B' [r', nEmbd]: the rank is ne[0] of both
                writer.addF32(
                        baseName + LoraAdapterContent.SUFFIX_A,
                        new long[] {totalRank, nVocab},
                        joinColumns(aParts, ranks, nVocab, ones));
                writer.addF32(
                        baseName + LoraAdapterContent.SUFFIX_B,
                        new long[] {totalRank, nEmbd},
                        joinColumns(bParts, ranks, nEmbd, factors));
            }
            default -> throw new IllegalStateException("unhandled layout " + layout + " of " + baseName);
        }
    }

    /** Concatenates whole arrays (stacking along ggml ne[1]). */
    private static float[] appendRows(List<float[]> parts) {
        int total = 0;
        for (float[] part : parts) {
            total = Math.addExact(total, part.length);
        }
        float[] out = new float[total];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** Joins {@code rows} rows of widths {@code widths[i]} (ggml ne[0]) side by side, part i times factors[i]. */
    private static float[] joinColumns(List<float[]> parts, int[] widths, int rows, float[] factors) {
        int width = 0;
        for (int w : widths) {
            width += w;
        }
        float[] out = new float[Math.multiplyExact(width, rows)];
        for (int row = 0; row < rows; row++) {
            int at = row * width;
            for (int i = 0; i < parts.size(); i++) {
                float[] part = parts.get(i);
                int from = row * widths[i];
                for (int c = 0; c < widths[i]; c++) {
                    out[at + c] = factors[i] * part[from + c];
                }
                at += widths[i];
            }
        }
        return out;
    }

    private static boolean isVerifiedComposition(Path target, String key) {
        if (!Files.isRegularFile(target)) {
            return false;
        }
        try (GgufFile existing = GgufFile.open(target)) {
            return key.equals(existing.metadata().optionalString(KEY_METADATA).orElse(""))
                    && !existing.tensors().isEmpty();
        } catch (IOException | RuntimeException e) {
            // a damaged or foreign file under the cache name is replaced by a fresh composition
            return false;
        }
    }

    private static String sha256(Path file) {
        try {
            return Sha256.ofFile(file);
        } catch (IOException e) {
            throw new ModelLoadException(file, "cannot hash the file: " + e.getMessage(), e);
        }
    }
}
