package dev.tanrenai.models.validate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers files that passed validation in this JVM, keyed by real path, size, modification time and
 * file identity (inode),
 * so that loading the same model again (evaluation, serving both arms) does not rescan it. A file
 * rewritten in place gets a new modification time and is scanned again.
 */
final class ValidatedFiles {
    private static final int CAPACITY = 128;
    private static final Map<String, Boolean> PASSED = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    private ValidatedFiles() {}

    /** A key for the file's current content, or null when it cannot be read (then nothing is cached). */
    static String key(String kind, Path... files) {
        StringBuilder sb = new StringBuilder(kind);
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                sb.append('|')
                        .append(f.toRealPath())
                        .append('|')
                        .append(a.size())
                        .append('|')
                        .append(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS))
                        .append('|')
                        .append(a.fileKey()); // a file replaced by a move is a new inode
            } catch (IOException e) {
                return null;
            }
        }
        return sb.toString();
    }

    static synchronized boolean passed(String key) {
        return key != null && PASSED.containsKey(key);
    }

    static synchronized void remember(String key) {
        if (key != null) {
            PASSED.put(key, Boolean.TRUE);
        }
    }
}
