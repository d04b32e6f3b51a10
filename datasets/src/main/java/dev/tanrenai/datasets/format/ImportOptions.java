package dev.tanrenai.datasets.format;

import java.time.Instant;
import java.util.Objects;

/**
 * How an import runs.
 *
 * @param batchSize conversations per store transaction
 * @param maxLineBytes the longest accepted line (JSONL) in bytes; longer lines are rejected unread
 * @param maxMessageChars the longest accepted message in characters
 * @param source recorded as each conversation's source, e.g. {@code import:openai:chats.jsonl}
 * @param importedAt the time given to records that carry none
 */
public record ImportOptions(int batchSize, long maxLineBytes, int maxMessageChars, String source, Instant importedAt) {

    public ImportOptions {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be in [1, 10000], got " + batchSize);
        }
        if (maxLineBytes < 16 || maxLineBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLineBytes must be in [16, 2^31-17], got " + maxLineBytes);
        }
        if (maxMessageChars < 1) {
            throw new IllegalArgumentException("maxMessageChars must be >= 1, got " + maxMessageChars);
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must be a non-empty string");
        }
        Objects.requireNonNull(importedAt, "importedAt");
    }

    /** Defaults: batches of 256, 16 MiB lines, 1,048,576-character messages. */
    public static ImportOptions defaults(String source, Instant importedAt) {
        return new ImportOptions(256, 16L << 20, 1 << 20, source, importedAt);
    }
}
