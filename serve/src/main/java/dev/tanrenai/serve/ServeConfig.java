package dev.tanrenai.serve;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the endpoint serves.
 *
 * @param host interface to bind (127.0.0.1 by default: nothing is exposed unless asked)
 * @param port TCP port (0 = any free port)
 * @param challengerShare share of users routed to the challenger, in [0, 1]
 * @param apiKeys client keys accepted as {@code Authorization: Bearer KEY}; empty = no client auth
 * @param adminKey key for {@code /admin/*} and for pinning an arm; null = admin endpoints disabled
 * @param maxBodyBytes largest request body (413 beyond)
 * @param maxPromptTokens largest rendered prompt (400 beyond)
 * @param maxTokensLimit largest {@code max_tokens} a client may ask for
 * @param defaultMaxTokens {@code max_tokens} when the client gives none
 * @param queueCapacity requests that may wait per slot besides the one generating (429 beyond)
 * @param timeout bound on every generation
 * @param contextLength llama.cpp context per slot
 * @param threads llama.cpp threads per slot
 * @param bodyTimeout bound on receiving a whole request body (408 beyond): a stalled or trickling
 *     client must not hold a worker
 */
public record ServeConfig(
        String host,
        int port,
        double challengerShare,
        Set<String> apiKeys,
        String adminKey,
        long maxBodyBytes,
        int maxPromptTokens,
        int maxTokensLimit,
        int defaultMaxTokens,
        int queueCapacity,
        Duration timeout,
        int contextLength,
        int threads,
        Duration bodyTimeout,
        int parallel) {

    /**
     * llama.cpp slots per loaded model when not set: measured on this 2-core machine, 4 slots served
     * 4 and 8 clients about 3x faster than 1 on a ~39M model (one batched decode step costs about as
     * much as a single one there), and cost nothing at 1 client; each slot holds its own KV cache of
     * {@code contextLength} tokens.
     */
    public static final int DEFAULT_PARALLEL = 4;

    /** As the canonical constructor with {@link #DEFAULT_PARALLEL} slots. */
    public ServeConfig(
            String host,
            int port,
            double challengerShare,
            Set<String> apiKeys,
            String adminKey,
            long maxBodyBytes,
            int maxPromptTokens,
            int maxTokensLimit,
            int defaultMaxTokens,
            int queueCapacity,
            Duration timeout,
            int contextLength,
            int threads,
            Duration bodyTimeout) {
        this(
                host,
                port,
                challengerShare,
                apiKeys,
                adminKey,
                maxBodyBytes,
                maxPromptTokens,
                maxTokensLimit,
                defaultMaxTokens,
                queueCapacity,
                timeout,
                contextLength,
                threads,
                bodyTimeout,
                DEFAULT_PARALLEL);
    }

    public ServeConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        if (!(challengerShare >= 0 && challengerShare <= 1)) {
            throw new IllegalArgumentException("challenger share must be in [0, 1], got " + challengerShare);
        }
        apiKeys = Set.copyOf(apiKeys);
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("max body must be >= 1024 bytes, got " + maxBodyBytes);
        }
        if (maxPromptTokens < 16 || maxTokensLimit < 1 || defaultMaxTokens < 1 || defaultMaxTokens > maxTokensLimit) {
            throw new IllegalArgumentException("token limits must be positive, with default max_tokens "
                    + defaultMaxTokens + " <= limit " + maxTokensLimit);
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("queue capacity must be >= 0, got " + queueCapacity);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (contextLength < 16 || threads < 1) {
            throw new IllegalArgumentException("context length >= 16 and threads >= 1 needed");
        }
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        if (bodyTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("the body timeout must be >= 100 ms, got " + bodyTimeout);
        }
        if (parallel < 1 || parallel > 64) {
            throw new IllegalArgumentException("parallel slots must be in [1, 64], got " + parallel);
        }
    }

    /**
     * Loopback, port 8080, all traffic to the champion, no keys, 1 MiB bodies received within 10 s,
     * 2048-token prompts.
     */
    public static ServeConfig defaults() {
        return new ServeConfig(
                "127.0.0.1",
                8080,
                0.0,
                Set.of(),
                null,
                1 << 20,
                2048,
                1024,
                256,
                8,
                Duration.ofMinutes(2),
                4096,
                2,
                Duration.ofSeconds(10),
                DEFAULT_PARALLEL);
    }

    public ServeConfig withPort(int newPort) {
        return new ServeConfig(
                host,
                newPort,
                challengerShare,
                apiKeys,
                adminKey,
                maxBodyBytes,
                maxPromptTokens,
                maxTokensLimit,
                defaultMaxTokens,
                queueCapacity,
                timeout,
                contextLength,
                threads,
                bodyTimeout,
                parallel);
    }

    public ServeConfig withChallengerShare(double share) {
        return new ServeConfig(
                host,
                port,
                share,
                apiKeys,
                adminKey,
                maxBodyBytes,
                maxPromptTokens,
                maxTokensLimit,
                defaultMaxTokens,
                queueCapacity,
                timeout,
                contextLength,
                threads,
                bodyTimeout,
                parallel);
    }

    public ServeConfig withKeys(Set<String> newApiKeys, String newAdminKey) {
        return new ServeConfig(
                host,
                port,
                challengerShare,
                newApiKeys,
                newAdminKey,
                maxBodyBytes,
                maxPromptTokens,
                maxTokensLimit,
                defaultMaxTokens,
                queueCapacity,
                timeout,
                contextLength,
                threads,
                bodyTimeout,
                parallel);
    }

    public ServeConfig withLimits(long newMaxBodyBytes, int newMaxPromptTokens, int newQueueCapacity) {
        return new ServeConfig(
                host,
                port,
                challengerShare,
                apiKeys,
                adminKey,
                newMaxBodyBytes,
                newMaxPromptTokens,
                maxTokensLimit,
                defaultMaxTokens,
                newQueueCapacity,
                timeout,
                contextLength,
                threads,
                bodyTimeout,
                parallel);
    }

    public ServeConfig withBodyTimeout(Duration newBodyTimeout) {
        return new ServeConfig(
                host,
                port,
                challengerShare,
                apiKeys,
                adminKey,
                maxBodyBytes,
                maxPromptTokens,
                maxTokensLimit,
                defaultMaxTokens,
                queueCapacity,
                timeout,
                contextLength,
                threads,
                newBodyTimeout,
                parallel);
    }

    /** These limits with {@code newParallel} llama.cpp slots per model. */
    public ServeConfig withParallel(int newParallel) {
        return new ServeConfig(
                host,
                port,
                challengerShare,
                apiKeys,
                adminKey,
                maxBodyBytes,
                maxPromptTokens,
                maxTokensLimit,
                defaultMaxTokens,
                queueCapacity,
                timeout,
                contextLength,
                threads,
                bodyTimeout,
                newParallel);
    }
}
