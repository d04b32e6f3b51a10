package dev.tanrenai.decoder.lora;

import java.util.Locale;

/** The projections a LoRA adapter may adapt, by their GGUF tensor names. */
public enum LoraTarget {
    Q("attn_q"),
    K("attn_k"),
    V("attn_v"),
    O("attn_output"),
    GATE("ffn_gate"),
    UP("ffn_up"),
    DOWN("ffn_down");

    private final String tensor;

    LoraTarget(String tensor) {
        this.tensor = tensor;
    }

    /** The base tensor of block {@code block}, e.g. {@code blk.3.attn_q.weight}. */
    public String baseTensor(int block) {
        return "blk." + block + "." + tensor + ".weight";
    }

    /** Parses {@code q}, {@code k}, {@code v}, {@code o}, {@code gate}, {@code up}, {@code down}. */
    public static LoraTarget fromName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown LoRA target '" + name + "' (expected q, k, v, o, gate, up, down)", e);
        }
    }
}
