package dev.tanrenai.train.loop;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that cannot be used: not a checkpoint, written for another adapter or another run. */
public final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(Path file, String what) {
        super(file + ": " + what);
    }
}
