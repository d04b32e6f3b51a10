package dev.tanrenai.evaluate.probes;

import java.io.IOException;

/**
 * A probe file is malformed: the message names the file, the 1-based line and the field (a dotted path
 * such as {@code probes[2].expect.regex}), then what is wrong, e.g.
 * {@code probes.yaml:14: probes[2].expect.regex: invalid regex ...}.
 */
public final class ProbeFileException extends IOException {

    private final String source;
    private final int line;
    private final String field;

    /**
     * @param source the file (or the name given to {@link ProbeFile#parse})
     * @param line 1-based line, or 0 when unknown
     * @param field the dotted path of the field concerned, or {@code (file)} for the file as a whole
     * @param what what is wrong
     */
    public ProbeFileException(String source, int line, String field, String what) {
        super(source + ":" + line + ": " + field + ": " + what);
        this.source = source;
        this.line = line;
        this.field = field;
    }

    /** Same, with the underlying cause (a YAML syntax error, an invalid regex). */
    public ProbeFileException(String source, int line, String field, String what, Throwable cause) {
        super(source + ":" + line + ": " + field + ": " + what, cause);
        this.source = source;
        this.line = line;
        this.field = field;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }
}
