package dev.tanrenai.models.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * The result of one generation.
 *
 * @param text the generated text (stop strings removed)
 * @param finishReason why it ended
 * @param tokenCount generated tokens: exactly {@code maxTokens} when the limit ended the generation;
 *     otherwise one per streamed piece plus the tokens llama.cpp held back while they split a UTF-8
 *     character (see {@code SplitCharacters}: exact for well-formed text from a SentencePiece
 *     vocabulary, off by a few for bytes that are not UTF-8)
 * @param promptTokenCount tokens of the prompt as {@link LlamaRuntime#tokenize} counts them (without
 *     a BOS token llama.cpp may add)
 * @param elapsed wall-clock time of the generation
 */
public record Completion(
        String text, FinishReason finishReason, int tokenCount, int promptTokenCount, Duration elapsed) {
    public Completion {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(elapsed, "elapsed");
        if (tokenCount < 0 || promptTokenCount < 0) {
            throw new IllegalArgumentException(
                    "token counts must be >= 0, got " + tokenCount + " and " + promptTokenCount);
        }
    }
}
