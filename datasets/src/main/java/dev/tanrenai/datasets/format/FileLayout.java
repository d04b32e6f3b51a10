package dev.tanrenai.datasets.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the records of a conversation file are laid out: one JSON record per line, or one JSON array
 * of records. Decided by the file, never by one line alone: a file is a JSON array when it starts
 * with {@code [} and that array is not complete on its first non-blank line while more lines
 * follow. So a JSONL file whose first record happens to be (or start like) an array stays JSONL and
 * every one of its lines is read and accounted for; a pretty-printed or one-line array file, even a
 * broken one, is read as an array.
 */
public enum FileLayout {
    /** One record per non-blank line. */
    JSONL,
    /** One JSON array whose elements are the records. */
    JSON_ARRAY;

    private static final ObjectMapper STRICT =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * The layout of {@code file}: {@link #JSON_ARRAY} when its first non-blank byte is {@code [}
     * and its first non-blank line is not a complete JSON value followed by more non-blank lines;
     * otherwise {@link #JSONL}.
     *
     * @param maxLineBytes the longest line read; a longer first line starting with {@code [} is taken
     *     for a one-line array (an array reader must still reject anything after its end)
     */
    public static FileLayout of(Path file, long maxLineBytes) throws IOException {
        int limit = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(16, maxLineBytes));
        try (LineReader lines = new LineReader(Files.newInputStream(file), limit)) {
            LineReader.RawLine first = lines.next();
            while (first != null && first.blank()) {
                first = lines.next();
            }
            if (first == null || !firstByteIsBracket(file)) {
                return JSONL;
            }
            if (first.tooLong() || !isCompleteJson(first.bytes())) {
                return JSON_ARRAY;
            }
            LineReader.RawLine next = lines.next();
            while (next != null && next.blank()) {
                next = lines.next();
            }
            return next == null ? JSON_ARRAY : JSONL;
        }
    }

    /** Whether the first byte that is neither whitespace nor part of a UTF-8 byte order mark is {@code [}. */
    private static boolean firstByteIsBracket(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            int b;
            int index = 0;
            while ((b = in.read()) != -1) {
                boolean bom = index < 3 && (b == 0xEF || b == 0xBB || b == 0xBF);
                index++;
                if (!bom && !Character.isWhitespace(b)) {
                    return b == '[';
                }
            }
            return false;
        }
    }

    private static boolean isCompleteJson(byte[] line) {
        try {
            STRICT.readTree(line);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
