package dev.tanrenai.models.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One text generation: a raw prompt (apply {@link LlamaRuntime#applyChatTemplate} first for chat)
 * and its sampling settings.
 *
 * @param prompt the prompt text; special tokens written in it (e.g. {@code <|im_start|>}) are parsed
 * @param maxTokens the most tokens to generate, >= 1
 * @param temperature 0 for greedy decoding, otherwise > 0
 * @param topP nucleus sampling mass in (0, 1]
 * @param seed the sampler seed, 0..2^31-1 (llama.cpp takes a 32-bit seed)
 * @param stop strings that end the generation; they are not included in the text
 * @param timeout wall-clock bound of the whole generation, > 0
 */
public record GenerationRequest(
        String prompt, int maxTokens, float temperature, float topP, long seed, List<String> stop, Duration timeout) {

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt must not be null");
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        if (!(temperature >= 0f) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (seed < 0 || seed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("seed must be in 0.." + Integer.MAX_VALUE + ", got " + seed);
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
        }
    }

    /** Greedy decoding (temperature 0) with seed 42, no stop strings and a one-minute timeout. */
    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return new GenerationRequest(prompt, maxTokens, 0f, 1f, 42, List.of(), Duration.ofMinutes(1));
    }

    public GenerationRequest withStop(List<String> newStop) {
        return new GenerationRequest(prompt, maxTokens, temperature, topP, seed, newStop, timeout);
    }

    public GenerationRequest withTimeout(Duration newTimeout) {
        return new GenerationRequest(prompt, maxTokens, temperature, topP, seed, stop, newTimeout);
    }

    public GenerationRequest withSampling(float newTemperature, float newTopP, long newSeed) {
        return new GenerationRequest(prompt, maxTokens, newTemperature, newTopP, newSeed, stop, timeout);
    }
}
