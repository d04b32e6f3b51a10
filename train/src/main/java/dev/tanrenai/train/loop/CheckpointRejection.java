package dev.tanrenai.train.loop;

import java.util.Objects;

/**
 * A checkpoint a resume did not use, and why (damaged, non-finite, unreadable); an older good one
 * was used instead.
 *
 * @param file the checkpoint's path
 * @param reason what is wrong with it
 */
public record CheckpointRejection(String file, String reason) {
    public CheckpointRejection {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
