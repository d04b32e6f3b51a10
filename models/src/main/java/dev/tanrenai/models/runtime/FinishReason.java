package dev.tanrenai.models.runtime;

/** Why a generation ended. */
public enum FinishReason {
    /** The model produced its end-of-generation token or one of the stop strings. */
    STOP,
    /** {@link GenerationRequest#maxTokens()} tokens were generated. */
    LENGTH,
    /** The caller's {@link CancellationToken} was cancelled (or the runtime was closed). */
    CANCELLED,
    /** {@link GenerationRequest#timeout()} elapsed. */
    TIMEOUT
}
