package dev.tanrenai.datasets.format;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import did. Always {@code imported + rejected == linesRead} and
 * {@code created + appended + unchanged == imported}.
 *
 * @param linesRead records read (non-blank lines, or array elements)
 * @param imported records the store accepted
 * @param created new conversations
 * @param appended stored conversations that got new turns
 * @param unchanged records the store already held
 * @param rejected records written to the rejects file instead
 * @param rejectsFile the rejects file, or null when nothing was rejected
 * @param rejectReasons rejected records per reason category
 */
public record ImportReport(
        long linesRead,
        long imported,
        long created,
        long appended,
        long unchanged,
        long rejected,
        Path rejectsFile,
        Map<String, Long> rejectReasons) {

    public ImportReport {
        if (imported + rejected != linesRead) {
            throw new IllegalStateException("import accounting broken: imported " + imported + " + rejected " + rejected
                    + " != lines read " + linesRead);
        }
        if (created + appended + unchanged != imported) {
            throw new IllegalStateException("import accounting broken: created " + created + " + appended " + appended
                    + " + unchanged " + unchanged + " != imported " + imported);
        }
        if ((rejected > 0) != (rejectsFile != null)) {
            throw new IllegalStateException("a rejects file exists exactly when something was rejected");
        }
        rejectReasons = java.util.Collections.unmodifiableMap(new TreeMap<>(rejectReasons));
    }
}
