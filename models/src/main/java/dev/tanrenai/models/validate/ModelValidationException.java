package dev.tanrenai.models.validate;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model or adapter GGUF that must not reach llama.cpp (it would abort the process, or serve
 * Inf/NaN output). Names the file, the metadata key or tensor at fault, and the value found.
 */
public final class ModelValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String subject;
    private final String value;
    private final String why;

    /**
     * @param file the GGUF file
     * @param subject the metadata key or tensor name at fault (e.g. {@code llama.block_count})
     * @param value the offending value as found in the file
     * @param why what is wrong and what was expected
     */
    public ModelValidationException(Path file, String subject, String value, String why) {
        super(file + ": " + subject + " = " + value + ": " + why);
        this.file = Objects.requireNonNull(file, "file");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.value = Objects.requireNonNull(value, "value");
        this.why = Objects.requireNonNull(why, "why");
    }

    public Path file() {
        return file;
    }

    /** The metadata key or tensor name at fault. */
    public String subject() {
        return subject;
    }

    /** The offending value as found in the file. */
    public String value() {
        return value;
    }

    /** The problem without the file name: {@code subject = value: why}. */
    public String problem() {
        return subject + " = " + value + ": " + why;
    }
}
