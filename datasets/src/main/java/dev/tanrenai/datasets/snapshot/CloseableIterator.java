package dev.tanrenai.datasets.snapshot;

import java.util.Iterator;

/**
 * An iterator over rows that holds native (Arrow) memory and open files until closed. Use it in
 * try-with-resources.
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {

    /** Releases files and Arrow memory; fails if Arrow memory leaked. */
    @Override
    void close();
}
