package dev.tanrenai.evaluate.gate;

/** A policy file that cannot be used: names the file, the line and the field. */
public class PolicyException extends RuntimeException {

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
