package dev.tanrenai.models.runtime;

/** llama.cpp rejected or failed a generation request; the message says what was asked. */
public class GenerationException extends RuntimeException {
    public GenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
