package dev.tanrenai.evaluate.tasks;

/**
 * A task file (YAML or its data) that cannot be used: malformed, an unknown or mistyped field, an
 * unsupported output type, metric or template syntax, or a document a template cannot render. The
 * message names the file, the line (1-based; 0 when no line applies) and the field.
 */
public final class TaskFileException extends RuntimeException {

    private final String file;
    private final int line;
    private final String field;

    public TaskFileException(String file, int line, String field, String problem) {
        this(file, line, field, problem, null);
    }

    public TaskFileException(String file, int line, String field, String problem, Throwable cause) {
        super(
                file + (line > 0 ? ":" + line : "") + (field == null ? "" : ": field '" + field + "'") + ": " + problem,
                cause);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    /** The file at fault (its path or resource name). */
    public String file() {
        return file;
    }

    /** The 1-based line, or 0 when the problem has no line. */
    public int line() {
        return line;
    }

    /** The field at fault, or null. */
    public String field() {
        return field;
    }
}
