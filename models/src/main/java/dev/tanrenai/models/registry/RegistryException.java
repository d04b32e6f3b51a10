package dev.tanrenai.models.registry;

/** A registry operation failed: unknown or ambiguous reference, bad file, conflicting alias move. */
public class RegistryException extends RuntimeException {
    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
