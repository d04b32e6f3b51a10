package dev.tanrenai.experiment;

/** An experiment operation that cannot be carried out; the message says what and where. */
public final class ExperimentException extends RuntimeException {
    public ExperimentException(String message) {
        super(message);
    }

    public ExperimentException(String message, Throwable cause) {
        super(message, cause);
    }
}
