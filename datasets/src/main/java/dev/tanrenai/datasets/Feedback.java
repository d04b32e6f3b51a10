package dev.tanrenai.datasets;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's judgement of a conversation or of one message in it.
 *
 * @param conversationId the conversation judged
 * @param messageIndex the 0-based index of the judged message, or null for the whole conversation
 * @param score thumbs up = {@code 1.0}, thumbs down = {@code -1.0}, or a numeric rating in [-1, 1]
 * @param comment optional free text; null when absent
 * @param createdAt when it was given (kept to the microsecond)
 */
public record Feedback(String conversationId, Integer messageIndex, double score, String comment, Instant createdAt) {

    public Feedback {
        if (conversationId == null || conversationId.isBlank()) {
            throw new IllegalArgumentException("feedback: conversation id must be a non-empty string");
        }
        if (messageIndex != null && messageIndex < 0) {
            throw new IllegalArgumentException("feedback: message index must be >= 0, got " + messageIndex);
        }
        if (!(score >= -1.0 && score <= 1.0)) {
            throw new IllegalArgumentException("feedback: score must be in [-1, 1], got " + score);
        }
        Objects.requireNonNull(createdAt, "feedback: createdAt must not be null");
        createdAt = createdAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    public static Feedback thumbsUp(String conversationId, Integer messageIndex, Instant at) {
        return new Feedback(conversationId, messageIndex, 1.0, null, at);
    }

    public static Feedback thumbsDown(String conversationId, Integer messageIndex, Instant at) {
        return new Feedback(conversationId, messageIndex, -1.0, null, at);
    }
}
