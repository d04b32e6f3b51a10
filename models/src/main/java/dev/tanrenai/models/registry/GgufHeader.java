package dev.tanrenai.models.registry;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key-value metadata of a GGUF file's header, as text, for the registry: scalars as their value,
 * arrays as their length ({@code tokenizer.ggml.tokens} becomes its element count). Tensor data is
 * not read.
 */
final class GgufHeader {
    private static final int MAGIC = 0x46554747; // "GGUF" little-endian
    private static final long MAX_STRING = 1L << 24;

    private GgufHeader() {}

    /** The metadata of {@code file}; throws {@link RegistryException} naming the file and byte offset on bad input. */
    static Map<String, String> read(Path file) {
        try (CountingInput in = new CountingInput(new BufferedInputStream(Files.newInputStream(file)))) {
            int magic = in.u32();
            if (magic != MAGIC) {
                throw new RegistryException(
                        String.format("%s is not a GGUF file (magic 0x%08x at byte 0)", file, magic));
            }
            int version = in.u32();
            if (version != 2 && version != 3) {
                throw new RegistryException(file + " has unsupported GGUF version " + version + " at byte 4");
            }
            in.u64(); // tensor count
            long kvCount = in.u64();
            if (kvCount < 0 || kvCount > 100_000) {
                throw new RegistryException(file + " declares " + kvCount + " metadata entries at byte 16");
            }
            Map<String, String> kv = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                long at = in.offset;
                String key = in.string(file);
                int type = in.u32();
                kv.put(key, value(in, type, file, key, at));
            }
            return kv;
        } catch (EOFException e) {
            throw new RegistryException(file + " ends inside its GGUF header (truncated file)", e);
        } catch (IOException e) {
            throw new RegistryException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String value(CountingInput in, int type, Path file, String key, long at) throws IOException {
        switch (type) {
            case 0:
                return Integer.toString(in.u8());
            case 1:
                return Integer.toString((byte) in.u8());
            case 2:
                return Integer.toString(in.u16());
            case 3:
                return Short.toString((short) in.u16());
            case 4:
                return Integer.toUnsignedString(in.u32());
            case 5:
                return Integer.toString(in.u32());
            case 6:
                return Float.toString(Float.intBitsToFloat(in.u32()));
            case 7:
                return Boolean.toString(in.u8() != 0);
            case 8:
                return in.string(file);
            case 9:
                int elementType = in.u32();
                long count = in.u64();
                if (count < 0 || count > 50_000_000L) {
                    throw new RegistryException(
                            file + ": array '" + key + "' at byte " + at + " has " + count + " elements");
                }
                for (long i = 0; i < count; i++) {
                    value(in, elementType, file, key, at);
                }
                return Long.toString(count);
            case 10:
                return Long.toUnsignedString(in.u64());
            case 11:
                return Long.toString(in.u64());
            case 12:
                return Double.toString(Double.longBitsToDouble(in.u64()));
            default:
                throw new RegistryException(
                        file + ": metadata '" + key + "' at byte " + at + " has unknown value type " + type);
        }
    }

    /** Little-endian reads with a byte offset for messages. */
    private static final class CountingInput implements AutoCloseable {
        final DataInputStream data;
        long offset;

        CountingInput(InputStream in) {
            this.data = new DataInputStream(in);
        }

        int u8() throws IOException {
            offset += 1;
            return data.readUnsignedByte();
        }

        int u16() throws IOException {
            offset += 2;
            return Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
        }

        int u32() throws IOException {
            offset += 4;
            return Integer.reverseBytes(data.readInt());
        }

        long u64() throws IOException {
            offset += 8;
            return Long.reverseBytes(data.readLong());
        }

        String string(Path file) throws IOException {
            long at = offset;
            long length = u64();
            if (length < 0 || length > MAX_STRING) {
                throw new RegistryException(file + ": string at byte " + at + " declares length " + length);
            }
            byte[] bytes = data.readNBytes((int) length);
            if (bytes.length != length) {
                throw new EOFException();
            }
            offset += length;
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }
}
