package dev.tanrenai.serve;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The client closed its connection while its answer was being streamed: its doing, not the model's. */
final class ClientGoneException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    ClientGoneException(IOException cause) {
        super("the client went away: " + cause.getMessage(), cause);
    }
}
