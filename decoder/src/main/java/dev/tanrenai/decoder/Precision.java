package dev.tanrenai.decoder;

import java.util.Arrays;
import java.util.Locale;

/**
 * The number format of a forward pass's matrix products. Everything else — the residual stream,
 * norms, rotary embeddings, softmax, log-softmax and the language-model head — stays float32.
 */
public enum Precision {
    /** float32 throughout: what training computes, and the default. */
    FLOAT32("fp32"),
    /**
     * Matrix products of the transformer blocks in bfloat16 (inputs and weights rounded to 8
     * significant bits, float32 accumulation inside oneDNN, outputs rounded to bfloat16 and widened
     * back to float32): forward-only scoring, about twice the float32 matrix rate on a CPU with
     * AVX512-BF16. See {@link Bf16}.
     */
    BFLOAT16("bf16");

    private final String key;

    Precision(String key) {
        this.key = key;
    }

    /** The short name used in cache keys, results and on the command line: {@code fp32} or {@code bf16}. */
    public String key() {
        return key;
    }

    /** The precision named {@code name} ({@code fp32} or {@code bf16}, any case). */
    public static Precision parse(String name) {
        for (Precision p : values()) {
            if (p.key.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "': expected one of "
                + Arrays.stream(values()).map(Precision::key).toList());
    }
}
