package dev.tanrenai.models.gguf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Little-endian primitive writer over an output stream that counts the bytes written. */
final class LittleEndianOutput {
    private final OutputStream out;
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] copyBuffer = new byte[64 * 1024];
    private long position;

    LittleEndianOutput(OutputStream out) {
        this.out = out;
    }

    long position() {
        return position;
    }

    void u8(int v) throws IOException {
        out.write(v);
        position++;
    }

    void u16(int v) throws IOException {
        scratch.clear();
        scratch.putShort((short) v);
        flushScratch();
    }

    void u32(long v) throws IOException {
        scratch.clear();
        scratch.putInt((int) v);
        flushScratch();
    }

    void u64(long v) throws IOException {
        scratch.clear();
        scratch.putLong(v);
        flushScratch();
    }

    void f32(float v) throws IOException {
        scratch.clear();
        scratch.putFloat(v);
        flushScratch();
    }

    void f64(double v) throws IOException {
        scratch.clear();
        scratch.putDouble(v);
        flushScratch();
    }

    /** GGUF string: uint64 byte length + UTF-8 bytes. */
    void string(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        u64(bytes.length);
        out.write(bytes);
        position += bytes.length;
    }

    void bytes(ByteBuffer data) throws IOException {
        ByteBuffer src = data.duplicate();
        while (src.hasRemaining()) {
            int n = Math.min(copyBuffer.length, src.remaining());
            src.get(copyBuffer, 0, n);
            out.write(copyBuffer, 0, n);
            position += n;
        }
    }

    void zeros(long count) throws IOException {
        for (long i = 0; i < count; i++) {
            out.write(0);
        }
        position += count;
    }

    private void flushScratch() throws IOException {
        out.write(scratch.array(), 0, scratch.position());
        position += scratch.position();
    }
}
