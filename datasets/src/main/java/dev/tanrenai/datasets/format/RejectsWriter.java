package dev.tanrenai.datasets.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rejects file of an import: one JSON line per rejected record with its line (or element)
 * number, field, reason, category and the original input — as text, as Base64 when it is not
 * valid UTF-8, or its first 4 KiB when it was too long to read. Created on the first reject only.
 */
final class RejectsWriter implements AutoCloseable {

    static final int RAW_PREFIX_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final boolean elements;
    private BufferedWriter writer;
    private long count;
    private final Map<String, Long> reasons = new TreeMap<>();

    /** @param elements whether records are array elements (JSON array files) rather than lines */
    RejectsWriter(Path file, boolean elements) {
        this.file = file;
        this.elements = elements;
    }

    /** Records a rejected record; {@code raw} may be null when it was too long to keep. */
    void reject(long number, ConversationFormatException problem, byte[] raw, long rawLength) throws IOException {
        reject(number, 0, problem, raw, rawLength);
    }

    /** Records a rejected array element that starts on {@code line} of the file (1-based). */
    void rejectElement(long element, long line, ConversationFormatException problem, String text) throws IOException {
        reject(element, line, problem, text.getBytes(StandardCharsets.UTF_8), text.length());
    }

    private void reject(long number, long line, ConversationFormatException problem, byte[] raw, long rawLength)
            throws IOException {
        if (writer == null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }
        ObjectNode row = JSON.createObjectNode();
        row.put(elements ? "element" : "line", number);
        if (elements && line > 0) {
            row.put("line", line);
        }
        row.put("field", problem.field());
        row.put("reason", problem.reason());
        row.put("kind", problem.kind().name());
        if (raw == null) {
            row.put("bytes", rawLength);
            row.put("truncated", true);
        } else if (problem.kind() == RejectKind.INVALID_UTF8) {
            row.put("rawBase64", Base64.getEncoder().encodeToString(raw));
        } else {
            row.put("raw", new String(raw, StandardCharsets.UTF_8));
        }
        writer.write(JSON.writeValueAsString(row));
        writer.write('\n');
        count++;
        reasons.merge(problem.kind().description(), 1L, Long::sum);
    }

    /** Records a rejected record whose raw text is {@code text}. */
    void reject(long number, ConversationFormatException problem, String text) throws IOException {
        reject(number, problem, text.getBytes(StandardCharsets.UTF_8), text.length());
    }

    long count() {
        return count;
    }

    Map<String, Long> reasons() {
        return reasons;
    }

    /** The file, or null when nothing was rejected. */
    Path fileIfWritten() {
        return writer == null ? null : file;
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
