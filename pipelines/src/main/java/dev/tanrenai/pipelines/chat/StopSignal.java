package dev.tanrenai.pipelines.chat;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ctrl-C during a generation: set from the terminal's signal handler, read by the generating thread.
 * A blocking read (an endpoint's stream) registers itself to be closed, so the stop is immediate.
 */
final class StopSignal {
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicReference<Closeable> blocking = new AtomicReference<>();

    void request() {
        requested.set(true);
        Closeable c = blocking.get();
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // the reader sees the closed stream and the stop flag either way
            }
        }
    }

    boolean requested() {
        return requested.get();
    }

    /** Throws {@link ChatBackend.Stopped} when a stop was requested. */
    void check() {
        if (requested.get()) {
            throw new ChatBackend.Stopped();
        }
    }

    void whileBlocked(Closeable c) {
        blocking.set(c);
        if (requested.get()) {
            request();
        }
    }
}
