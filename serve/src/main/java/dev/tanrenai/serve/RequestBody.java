package dev.tanrenai.serve;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body the way a hostile client cannot abuse: at most {@code maxBytes}, whatever the
 * transfer encoding (a chunked body announces no length, so the limit is enforced while reading:
 * 413 at the first byte past it), and within {@code timeout} for the whole body (Jetty's read is
 * bounded by the time left, so a stalled or never-finishing body gets a 408 and frees its worker).
 * A body Jetty cannot frame (a bad chunk size, an early end) is a 400; text that is not one JSON
 * value is a 400 naming where it broke.
 */
final class RequestBody {
    private RequestBody() {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * The body's JSON; an empty body is an empty object.
     *
     * @throws OpenAiException 413 too large, 408 too slow, 400 unreadable or not JSON
     */
    static JsonNode json(Context ctx, long maxBytes, Duration timeout) {
        byte[] bytes = bytes(ctx, maxBytes, timeout);
        if (isBlank(bytes)) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation(); // null for a constraint (nesting depth, number length)
            throw OpenAiException.badRequest(
                    null,
                    "the body is not valid JSON: " + e.getOriginalMessage()
                            + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw OpenAiException.badRequest(null, "the body is not valid JSON: " + e.getMessage());
        }
    }

    /** The raw body, bounded in size and time. */
    static byte[] bytes(Context ctx, long maxBytes, Duration timeout) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge("has " + declared + " bytes", maxBytes);
        }
        HttpChannel channel = Request.getBaseRequest(ctx.req()).getHttpChannel();
        long idleBefore = channel.getIdleTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = ctx.req().getInputStream();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw tooSlow(timeout, out.size());
                }
                channel.setIdleTimeout(left);
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, maxBytes + 1 - out.size()));
                if (n < 0) {
                    return out.toByteArray();
                }
                out.write(buffer, 0, n);
                if (out.size() > maxBytes) {
                    throw tooLarge("is longer", maxBytes);
                }
            }
        } catch (IOException | BadMessageException e) {
            if (causedBy(e, TimeoutException.class)) {
                throw tooSlow(timeout, out.size());
            }
            BadMessageException bad = cause(e, BadMessageException.class);
            int status = bad != null && bad.getCode() >= 400 && bad.getCode() < 500 ? bad.getCode() : 400;
            throw new OpenAiException(
                    status,
                    "invalid_request_error",
                    "unreadable_body",
                    null,
                    "the request body could not be read after " + out.size() + " bytes: "
                            + (bad != null ? bad.getReason() : e.getMessage()));
        } finally {
            channel.setIdleTimeout(idleBefore);
        }
    }

    private static OpenAiException tooLarge(String what, long maxBytes) {
        return new OpenAiException(
                413,
                "invalid_request_error",
                "request_too_large",
                null,
                "the request body " + what + "; the limit is " + maxBytes + " bytes");
    }

    private static OpenAiException tooSlow(Duration timeout, int received) {
        return new OpenAiException(
                408,
                "invalid_request_error",
                "request_timeout",
                null,
                "the request body did not arrive within " + timeout.toMillis() + " ms (" + received
                        + " bytes received)");
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return cause(e, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
