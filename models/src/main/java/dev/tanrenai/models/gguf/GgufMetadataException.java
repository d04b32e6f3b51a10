package dev.tanrenai.models.gguf;

/** A metadata key is missing or holds a value of another type than the caller asked for. */
public final class GgufMetadataException extends IllegalStateException {
    private final String key;

    public GgufMetadataException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The metadata key concerned. */
    public String key() {
        return key;
    }
}
