package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answered in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}} with
 * its HTTP status (400 malformed, 401 unauthenticated, 404 unknown model, 413 too large, 429 queue
 * full, 503 nothing to serve, 500 generation failed).
 */
public final class OpenAiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    public OpenAiException(int status, String type, String code, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    public static OpenAiException badRequest(String param, String message) {
        return new OpenAiException(400, "invalid_request_error", "invalid_value", param, message);
    }

    public int status() {
        return status;
    }

    /** The response body. */
    public String body() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        error.put("code", code);
        return root.toString();
    }
}
