package dev.tanrenai.models.runtime;

/**
 * How token states are pooled into one embedding. Only the kinds that work in java-llama.cpp 4.2.0
 * are offered: MEAN pooling aborts the JVM there.
 */
public enum EmbeddingPooling {
    /** The last token's hidden state (decoder models). */
    LAST,
    /** The first token's hidden state. */
    CLS
}
