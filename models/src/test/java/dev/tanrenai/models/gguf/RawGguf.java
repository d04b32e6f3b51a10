package dev.tanrenai.models.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Byte-level GGUF builder for corruption tests: writes exactly what it is told, valid or not. */
final class RawGguf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Magic "GGUF", version, tensor count, metadata count. */
    static RawGguf header(long version, long tensorCount, long kvCount) {
        return new RawGguf()
                .raw("GGUF".getBytes(StandardCharsets.US_ASCII))
                .u32(version)
                .u64(tensorCount)
                .u64(kvCount);
    }

    int position() {
        return out.size();
    }

    RawGguf raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    RawGguf u8(int v) {
        out.write(v);
        return this;
    }

    RawGguf u32(long v) {
        return raw(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt((int) v)
                .array());
    }

    RawGguf u64(long v) {
        return raw(
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    RawGguf f32(float v) {
        return raw(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(v)
                .array());
    }

    RawGguf str(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return u64(bytes.length).raw(bytes);
    }

    /** A string metadata entry. */
    RawGguf kvString(String key, String value) {
        return str(key).u32(GgufValueType.STRING.id()).str(value);
    }

    /** A uint32 metadata entry. */
    RawGguf kvU32(String key, long value) {
        return str(key).u32(GgufValueType.UINT32.id()).u32(value);
    }

    /** A tensor info. */
    RawGguf tensor(String name, long[] shape, int typeId, long offset) {
        str(name).u32(shape.length);
        for (long d : shape) {
            u64(d);
        }
        return u32(typeId).u64(offset);
    }

    /** Zero bytes up to the next multiple of {@code alignment}. */
    RawGguf pad(int alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return this;
    }

    RawGguf zeros(int n) {
        return raw(new byte[n]);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }
}
