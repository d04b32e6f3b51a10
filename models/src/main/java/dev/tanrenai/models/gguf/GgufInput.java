package dev.tanrenai.models.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Buffered little-endian reader over a file channel that checks every read against the bytes left
 * in the file, so a truncated or lying header yields a {@link GgufFormatException} naming the
 * offset instead of an underflow or a huge allocation.
 */
final class GgufInput {
    private static final int BUFFER_SIZE = 1 << 16;

    private final FileChannel channel;
    private final Path path;
    private final long fileSize;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private long bufferStart; // file offset of buffer index 0
    private String tensorContext;

    GgufInput(FileChannel channel, Path path, long fileSize) {
        this.channel = channel;
        this.path = path;
        this.fileSize = fileSize;
        buffer.limit(0);
    }

    long position() {
        return bufferStart + buffer.position();
    }

    long fileSize() {
        return fileSize;
    }

    long remaining() {
        return fileSize - position();
    }

    Path path() {
        return path;
    }

    /** Tensor name used in error messages while reading that tensor's info (null outside). */
    void tensorContext(String name) {
        this.tensorContext = name;
    }

    GgufFormatException error(String what, long offset) {
        return new GgufFormatException(what, path, offset, tensorContext);
    }

    /** Fails unless {@code n} more bytes exist in the file. */
    void require(long n, String what) throws GgufFormatException {
        if (n < 0 || n > remaining()) {
            throw error(
                    "file truncated: " + what + " needs " + (n < 0 ? Long.toUnsignedString(n) : n) + " bytes but only "
                            + remaining() + " remain of " + fileSize,
                    position());
        }
    }

    private void fill(int n, String what) throws IOException {
        require(n, what);
        if (buffer.remaining() >= n) {
            return;
        }
        long pos = position();
        buffer.clear();
        bufferStart = pos;
        int want = (int) Math.min(BUFFER_SIZE, fileSize - pos);
        buffer.limit(want);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, bufferStart + buffer.position());
            if (read < 0) {
                throw error("file ended early while reading " + what + " (it shrank while being read?)", position());
            }
        }
        buffer.flip();
    }

    int u8(String what) throws IOException {
        fill(1, what);
        return buffer.get() & 0xFF;
    }

    int u16(String what) throws IOException {
        fill(2, what);
        return buffer.getShort() & 0xFFFF;
    }

    /** Unsigned 32-bit value as a long. */
    long u32(String what) throws IOException {
        fill(4, what);
        return buffer.getInt() & 0xFFFF_FFFFL;
    }

    /** Raw 64 bits (unsigned values above Long.MAX_VALUE come back negative). */
    long u64(String what) throws IOException {
        fill(8, what);
        return buffer.getLong();
    }

    float f32(String what) throws IOException {
        fill(4, what);
        return buffer.getFloat();
    }

    double f64(String what) throws IOException {
        fill(8, what);
        return buffer.getDouble();
    }

    /** GGUF string: uint64 length then that many UTF-8 bytes; the length is checked before allocating. */
    String string(String what) throws IOException {
        long start = position();
        long length = u64(what + " length");
        if (length < 0 || length > remaining() || length > Integer.MAX_VALUE - 8) {
            throw error(
                    "file truncated or corrupt: " + what + " claims " + Long.toUnsignedString(length)
                            + " bytes but only " + remaining() + " remain of " + fileSize,
                    start);
        }
        byte[] bytes = new byte[(int) length];
        int done = 0;
        while (done < bytes.length) {
            fill(1, what);
            int n = Math.min(buffer.remaining(), bytes.length - done);
            buffer.get(bytes, done, n);
            done += n;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new GgufFormatException(what + " is not valid UTF-8", path, start, tensorContext, e);
        }
    }
}
