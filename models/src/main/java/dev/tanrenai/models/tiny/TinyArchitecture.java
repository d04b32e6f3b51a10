package dev.tanrenai.models.tiny;

/** The llama.cpp architectures the tiny-model maker can produce. */
public enum TinyArchitecture {
    /** llama.cpp architecture {@code llama}. */
    LLAMA("llama", false),
    /** llama.cpp architecture {@code qwen2}: like llama plus q/k/v projection biases. */
    QWEN2("qwen2", true);

    private final String ggufName;
    private final boolean attentionBiases;

    TinyArchitecture(String ggufName, boolean attentionBiases) {
        this.ggufName = ggufName;
        this.attentionBiases = attentionBiases;
    }

    /** The value of {@code general.architecture} and the prefix of the hyper-parameter keys. */
    public String ggufName() {
        return ggufName;
    }

    /** True when blocks carry {@code attn_q.bias}, {@code attn_k.bias}, {@code attn_v.bias}. */
    public boolean hasAttentionBiases() {
        return attentionBiases;
    }
}
