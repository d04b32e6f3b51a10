package dev.tanrenai.datasets.store;

import dev.tanrenai.datasets.Feedback;
import java.util.Objects;

/**
 * A feedback entry with its sequence number in the store.
 *
 * @param feedback the feedback
 * @param seq its sequence number (a watermark for incremental reads)
 */
public record StoredFeedback(Feedback feedback, long seq) {
    public StoredFeedback {
        Objects.requireNonNull(feedback, "feedback");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, got " + seq);
        }
    }
}
