package dev.tanrenai.datasets.format;

/**
 * One input record is not a valid conversation. The message says where ({@code line 17} or
 * {@code element 3}), which field (a JSON path such as {@code messages[2].role}) and why.
 */
public class ConversationFormatException extends Exception {

    private final String location;
    private final String field;
    private final String reason;
    private final RejectKind kind;

    /**
     * @param location {@code line N} or {@code element N}; may be empty when not known yet
     * @param field the JSON path of the bad field, or empty for the whole record
     * @param reason what is wrong
     * @param kind the category, for reports
     */
    public ConversationFormatException(String location, String field, String reason, RejectKind kind) {
        super(compose(location, field, reason));
        this.location = location;
        this.field = field;
        this.reason = reason;
        this.kind = kind;
    }

    private static String compose(String location, String field, String reason) {
        StringBuilder sb = new StringBuilder();
        if (!location.isEmpty()) {
            sb.append(location).append(", ");
        }
        if (!field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(reason).toString();
    }

    /** The same problem at {@code newLocation}. */
    public ConversationFormatException at(String newLocation) {
        return new ConversationFormatException(newLocation, field, reason, kind);
    }

    public String location() {
        return location;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    public RejectKind kind() {
        return kind;
    }
}
