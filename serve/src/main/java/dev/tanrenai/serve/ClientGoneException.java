package dev.tanrenai.serve;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The client closed its connection while its answer was being generated or streamed: its doing, not
 * the model's. Answered as {@link #STATUS} (nothing can be written to a closed connection), never
 * counted against the arm.
 */
final class ClientGoneException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    /** nginx's "client closed request": what the request-count metric records. */
    static final int STATUS = 499;

    ClientGoneException(String what) {
        super("the client went away: " + what, new IOException(what));
    }

    ClientGoneException(IOException cause) {
        super("the client went away: " + cause.getMessage(), cause);
    }
}
