package dev.tanrenai.datasets.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a byte stream line by line ({@code \n}, with one trailing {@code \r} removed), never
 * holding more than {@code maxLineBytes} of one line: a longer line is skipped to its end and
 * reported with its length. A UTF-8 byte order mark at the start is skipped.
 */
final class LineReader implements AutoCloseable {

    /** One line: its 1-based number, its bytes (null when too long) and its full length in bytes. */
    record RawLine(long number, byte[] bytes, long length) {
        boolean tooLong() {
            return bytes == null;
        }

        boolean blank() {
            if (bytes == null) {
                return false;
            }
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private long lineNumber;
    private long bytesRead;
    private boolean first = true;

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Bytes consumed so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** The next line, or null at the end of the stream. */
    RawLine next() throws IOException {
        byte[] line = new byte[256];
        int size = 0;
        long length = 0;
        boolean tooLong = false;
        boolean sawAny = false;
        while (true) {
            if (position == limit && !fill()) {
                if (!sawAny) {
                    return null;
                }
                break;
            }
            sawAny = true;
            int start = position;
            int newline = -1;
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline >= 0 ? newline : limit;
            int chunk = end - start;
            length += chunk;
            if (!tooLong) {
                if (length > maxLineBytes) {
                    tooLong = true;
                } else {
                    if (size + chunk > line.length) {
                        line = Arrays.copyOf(line, Math.max(line.length * 2, size + chunk));
                    }
                    System.arraycopy(buffer, start, line, size, chunk);
                    size += chunk;
                }
            }
            position = newline >= 0 ? newline + 1 : limit;
            if (newline >= 0) {
                break;
            }
        }
        lineNumber++;
        if (tooLong) {
            return new RawLine(lineNumber, null, length);
        }
        if (size > 0 && line[size - 1] == '\r') {
            size--;
        }
        return new RawLine(lineNumber, Arrays.copyOf(line, size), length);
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        bytesRead += n;
        if (first) {
            first = false;
            if (n >= 3 && (buffer[0] & 0xff) == 0xEF && (buffer[1] & 0xff) == 0xBB && (buffer[2] & 0xff) == 0xBF) {
                position = 3;
            }
        }
        return true;
    }

    /**
     * Decodes {@code bytes} as strict UTF-8.
     *
     * @throws ConversationFormatException naming the byte offset of the first invalid sequence
     */
    static String decode(byte[] bytes) throws ConversationFormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        CharBuffer output = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(input, output, true);
        if (result.isError()) {
            throw new ConversationFormatException(
                    "", "", "invalid UTF-8 at byte " + input.position() + " of the line", RejectKind.INVALID_UTF8);
        }
        decoder.flush(output);
        return output.flip().toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
