package dev.tanrenai.decoder;

/** The GGUF describes a model Tanrenai cannot build in DJL; the message says what is missing. */
public class UnsupportedModelException extends RuntimeException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
