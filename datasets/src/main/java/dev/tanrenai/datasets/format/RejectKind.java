package dev.tanrenai.datasets.format;

/** Why an input record was rejected; the categories of an import report. */
public enum RejectKind {
    INVALID_UTF8("invalid UTF-8"),
    LINE_TOO_LONG("line too long"),
    INVALID_JSON("invalid JSON"),
    INVALID_FIELD("invalid or missing field"),
    IMPLAUSIBLE_TIME("implausible time"),
    MESSAGE_TOO_LONG("message too long"),
    UNSUPPORTED_CONTENT("unsupported content"),
    CONFLICTS_WITH_STORE("conflicts with the stored conversation");

    private final String description;

    RejectKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
