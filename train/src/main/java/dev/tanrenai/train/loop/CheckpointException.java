package dev.tanrenai.train.loop;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint that cannot be used: unreadable, damaged (checksum), holding non-finite values, not a
 * checkpoint, written for another adapter or another run.
 */
public final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public CheckpointException(Path file, String what) {
        this(file, what, null);
    }

    public CheckpointException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
        this.reason = what;
    }

    /** What is wrong, without the file. */
    public String reason() {
        return reason;
    }
}
