package dev.tanrenai.pipelines.config;

/** The configuration is invalid; the message names the field and where its value came from. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
