package dev.tanrenai.models.runtime;

/**
 * Receives generated text while {@link LlamaRuntime#stream} runs, on the generating thread.
 *
 * <p>Each call carries the text of one generated token (possibly empty while a stop string is
 * being matched, or several tokens when a UTF-8 character spans tokens). The concatenation of all
 * pieces equals {@link Completion#text()}. A listener that throws aborts the generation and the
 * exception propagates out of {@code stream}.
 */
@FunctionalInterface
public interface TokenListener {
    void onToken(String piece);

    /** A listener that ignores everything. */
    static TokenListener none() {
        return piece -> {};
    }
}
