package dev.tanrenai.models.gguf;

import java.io.IOException;

/**
 * A GGUF file (or data about to be written as one) is malformed: the message says what is wrong,
 * which tensor, at which byte offset, in which file.
 */
public final class GgufFormatException extends IOException {
    private final long offset;
    private final String tensorName;

    /**
     * @param what description of the problem
     * @param file the file (or null when not file-related)
     * @param offset absolute byte offset in the file, or -1 if not applicable
     * @param tensorName the tensor concerned, or null
     */
    public GgufFormatException(String what, Object file, long offset, String tensorName) {
        super(compose(what, file, offset, tensorName));
        this.offset = offset;
        this.tensorName = tensorName;
    }

    /** Same, with an underlying cause. */
    public GgufFormatException(String what, Object file, long offset, String tensorName, Throwable cause) {
        super(compose(what, file, offset, tensorName), cause);
        this.offset = offset;
        this.tensorName = tensorName;
    }

    private static String compose(String what, Object file, long offset, String tensorName) {
        StringBuilder sb = new StringBuilder(what);
        if (tensorName != null) {
            sb.append(" [tensor ").append(tensorName).append(']');
        }
        if (offset >= 0) {
            sb.append(" [at byte offset ").append(offset).append(']');
        }
        if (file != null) {
            sb.append(" [file ").append(file).append(']');
        }
        return sb.toString();
    }

    /** Absolute byte offset of the problem, or -1 if not applicable. */
    public long offset() {
        return offset;
    }

    /** Name of the tensor concerned, or null. */
    public String tensorName() {
        return tensorName;
    }
}
