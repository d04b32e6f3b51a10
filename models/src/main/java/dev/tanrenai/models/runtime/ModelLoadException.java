package dev.tanrenai.models.runtime;

import java.nio.file.Path;

/** A model or adapter file could not be loaded; the message names the file and the reason. */
public class ModelLoadException extends RuntimeException {
    private final Path file;

    public ModelLoadException(Path file, String reason) {
        super("cannot load " + file + ": " + reason);
        this.file = file;
    }

    public ModelLoadException(Path file, String reason, Throwable cause) {
        super("cannot load " + file + ": " + reason, cause);
        this.file = file;
    }

    /** The file that failed to load. */
    public Path file() {
        return file;
    }
}
