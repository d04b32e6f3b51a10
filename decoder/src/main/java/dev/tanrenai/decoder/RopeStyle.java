package dev.tanrenai.decoder;

/**
 * How rotary position embeddings pair the dimensions of a head (llama.cpp's rope types).
 *
 * <p>{@link #NORM} (llama): rotates adjacent pairs {@code (x[2i], x[2i+1])} — llama.cpp's conversion
 * permutes the Q/K rows of Hugging Face llama checkpoints so this matches their rotate-half.
 * {@link #NEOX} (qwen2): rotates {@code (x[i], x[i + d/2])}.
 */
public enum RopeStyle {
    NORM,
    NEOX
}
