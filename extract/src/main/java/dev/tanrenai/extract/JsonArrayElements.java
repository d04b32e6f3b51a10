package dev.tanrenai.extract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * Splits a JSON array file into the raw bytes of its elements, each with its origin
 * {@code FILE:#INDEX} (0-based). Nothing is lost: when the array breaks (malformed JSON, invalid
 * UTF-8, a missing end), everything from the broken element to the end of the file becomes one
 * last record, which validation then quarantines with the reason; so does anything after the
 * array's end; a file that is not an array at all becomes one such record.
 */
final class JsonArrayElements {

    /** Receives one element. */
    interface Sink {
        void element(String origin, byte[] bytes);
    }

    private static final JsonFactory JSON = new JsonFactory();

    private JsonArrayElements() {}

    static void read(byte[] file, String name, Sink sink) {
        int index = 0;
        int start = 0;
        try (JsonParser parser = JSON.createParser(file)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                sink.element(name + ":#0", file);
                return;
            }
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new IOException("the array does not end");
                }
                start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getByteOffset();
                sink.element(name + ":#" + index, Arrays.copyOfRange(file, start, end));
                index++;
                start = end;
            }
            // anything after the array's end is one more record, which validation quarantines
            start = (int) parser.currentLocation().getByteOffset();
            if (parser.nextToken() != null) {
                throw new IOException("content after the end of the array");
            }
        } catch (IOException e) {
            // the broken element and everything after it, as one record that fails validation
            int from = firstNonSeparator(file, start);
            if (from < file.length) {
                sink.element(name + ":#" + index, Arrays.copyOfRange(file, from, file.length));
            }
        }
    }

    private static int firstNonSeparator(byte[] file, int from) {
        int i = from;
        while (i < file.length
                && (file[i] == ',' || file[i] == ' ' || file[i] == '\n' || file[i] == '\r' || file[i] == '\t')) {
            i++;
        }
        return i;
    }
}
