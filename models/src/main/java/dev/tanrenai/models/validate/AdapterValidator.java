package dev.tanrenai.models.validate;

import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a LoRA adapter GGUF against its base model before llama.cpp sees it: the adapter keys,
 * {@code adapter.lora.alpha}, every {@code .lora_a}/{@code .lora_b} pair's shape against the base
 * tensor it modifies, and every value.
 *
 * <p><b>Magnitude bound</b>: {@value #MAX_MAGNITUDE}, the largest finite F16. llama.cpp keeps the KV
 * cache in F16 and adapters are commonly stored as F16, so a factor element, an alpha, or the
 * largest change the pair can make to one base weight ({@code |scale| * r * max|A| * max|B|}, with
 * {@code scale = alpha / r}, or 1 when alpha is 0 as in llama.cpp) beyond it can only drive
 * activations to Inf/NaN — the {@code ################} output of a broken adapter. Trained adapters
 * are many orders of magnitude below it.
 */
public final class AdapterValidator {
    /** Largest finite F16 value. */
    public static final double MAX_MAGNITUDE = 65504.0;

    private AdapterValidator() {}

    /**
     * Fails with a {@link ModelValidationException} naming the adapter file, the key or tensor and
     * the value when {@code adapter} is not a sound LoRA adapter for {@code baseModel}.
     *
     * @throws UncheckedIOException when a file cannot be read
     */
    public static void validate(Path adapter, Path baseModel) {
        String key = ValidatedFiles.key("adapter", adapter, baseModel);
        if (ValidatedFiles.passed(key)) {
            return;
        }
        try (GgufFile base = ModelValidator.open(baseModel);
                GgufFile gguf = ModelValidator.open(adapter)) {
            MetadataReader m = new MetadataReader(adapter, gguf.metadata());
            requireKey(m, "general.type", "adapter");
            requireKey(m, "adapter.type", "lora");
            String baseArch = new MetadataReader(baseModel, base.metadata()).requiredString("general.architecture");
            requireKey(m, "general.architecture", baseArch);
            double alpha = m.has("adapter.lora.alpha")
                    ? m.requiredFloat("adapter.lora.alpha", -MAX_MAGNITUDE - 1e-9, MAX_MAGNITUDE)
                    : 0.0;
            if (Math.abs(alpha) > MAX_MAGNITUDE) {
                throw m.fail("adapter.lora.alpha", alpha, "|alpha| must be at most " + MAX_MAGNITUDE);
            }
            Map<String, GgufTensorInfo[]> pairs = pairs(gguf, m);
            for (Map.Entry<String, GgufTensorInfo[]> e : pairs.entrySet()) {
                checkPair(e.getKey(), e.getValue(), base, gguf, m, alpha);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + adapter + ": " + e.getMessage(), e);
        }
        ValidatedFiles.remember(key);
    }

    private static void requireKey(MetadataReader m, String key, String expected) {
        String value = m.optionalString(key).orElse("missing");
        if (!value.equals(expected)) {
            throw m.fail(key, value, "expected '" + expected + "'");
        }
    }

    /** Base tensor name -> {lora_a, lora_b}. */
    private static Map<String, GgufTensorInfo[]> pairs(GgufFile gguf, MetadataReader m) {
        Map<String, GgufTensorInfo[]> pairs = new TreeMap<>();
        for (GgufTensorInfo t : gguf.tensors()) {
            String name = t.name();
            if (name.endsWith("_norm.weight")) {
                continue; // llama.cpp b4916 skips norm vectors in adapters
            }
            int side = name.endsWith(".lora_a") ? 0 : name.endsWith(".lora_b") ? 1 : -1;
            if (side < 0) { // llama.cpp: "LoRA tensor ... has unexpected suffix"
                throw m.fail(name, Arrays.toString(t.shape()), "a LoRA tensor name must end in .lora_a or .lora_b");
            }
            pairs.computeIfAbsent(name.substring(0, name.length() - 7), k -> new GgufTensorInfo[2])[side] = t;
        }
        if (pairs.isEmpty()) {
            throw m.fail("tensors", "none", "an adapter needs at least one .lora_a/.lora_b pair");
        }
        for (Map.Entry<String, GgufTensorInfo[]> e : pairs.entrySet()) {
            for (int side = 0; side < 2; side++) {
                if (e.getValue()[side] == null) {
                    String missing = e.getKey() + (side == 0 ? ".lora_a" : ".lora_b");
                    throw m.fail(
                            missing,
                            "missing",
                            "its partner " + e.getKey() + (side == 0 ? ".lora_b" : ".lora_a") + " is present");
                }
            }
        }
        return pairs;
    }

    private static void checkPair(
            String target, GgufTensorInfo[] ab, GgufFile base, GgufFile gguf, MetadataReader m, double alpha)
            throws IOException {
        GgufTensorInfo a = ab[0];
        GgufTensorInfo b = ab[1];
        GgufTensorInfo w = base.findTensor(target)
                .orElseThrow(
                        () -> m.fail(a.name(), Arrays.toString(a.shape()), "the base model has no tensor " + target));
        if (w.rank() > 2 && w.dim(2) * w.dim(3) != 1 || a.rank() != 2 || b.rank() != 2) {
            throw m.fail(
                    a.name(),
                    Arrays.toString(a.shape()),
                    "LoRA factors and their base tensor " + Arrays.toString(w.shape()) + " must be 2-D");
        }
        long rank = a.dim(1);
        if (a.dim(0) != w.dim(0)) {
            throw m.fail(
                    a.name(),
                    "shape " + Arrays.toString(a.shape()),
                    "expected [" + w.dim(0) + ", r]: the base " + target + " has shape " + Arrays.toString(w.shape()));
        }
        if (b.dim(0) != rank || b.dim(1) != w.dim(1)) {
            throw m.fail(
                    b.name(),
                    "shape " + Arrays.toString(b.shape()),
                    "expected [" + rank + ", " + w.dim(1)
                            + "]: rank " + rank + " from " + a.name() + ", base " + target + " has shape "
                            + Arrays.toString(w.shape()));
        }
        double maxA = magnitude(gguf, a, m);
        double maxB = magnitude(gguf, b, m);
        double scale = alpha == 0 ? 1.0 : Math.abs(alpha) / rank;
        double delta = scale * rank * maxA * maxB;
        if (!(delta <= MAX_MAGNITUDE)) {
            throw m.fail(
                    target,
                    String.format("up to %.4g", delta),
                    "the adapter may change a weight of " + target
                            + " by |alpha/r| * r * max|A| * max|B| = " + String.format("%.4g", delta) + " (alpha "
                            + alpha
                            + ", r " + rank + ", max|A| " + maxA + ", max|B| " + maxB + "); the bound is "
                            + MAX_MAGNITUDE);
        }
    }

    /** The largest |value| of a factor; fails on a non-finite one or one above the bound. */
    private static double magnitude(GgufFile gguf, GgufTensorInfo t, MetadataReader m) throws IOException {
        double max = FiniteScan.scan(gguf, t, m);
        if (Double.isNaN(max)) { // quantized: scales are finite, now look at the values
            if (!t.type().supportsDequantization()) {
                throw m.fail(
                        t.name(), t.type().toString(), "LoRA factors must be F32, F16, BF16, Q8_0, Q4_0 or K-quants");
            }
            max = 0;
            for (float v : gguf.dequantize(t.name())) {
                max = Math.max(max, Math.abs(v));
            }
        }
        if (max > MAX_MAGNITUDE) {
            throw m.fail(t.name(), "max |value| " + max, "a LoRA factor element must be at most " + MAX_MAGNITUDE);
        }
        return max;
    }
}
