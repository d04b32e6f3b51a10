package dev.tanrenai.train.lora;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads F32 tensors from a safetensors file (as Hugging Face PEFT writes adapters), checking the
 * header against the file: a bad length, JSON, dtype, shape or offset is reported with the byte
 * offset where it was found.
 */
public final class SafetensorsReader {

    /** One tensor: its shape and row-major values. */
    public record Tensor(long[] shape, float[] values) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsReader() {}

    /** Every tensor of {@code file}, in header order. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsException(file, 0, "shorter than the 8-byte header length (" + size + " bytes)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lengthBytes, 0, file);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 2 || headerLength > size - 8 || headerLength > 100_000_000) {
                throw new SafetensorsException(
                        file, 0, "header length " + headerLength + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBytes, 8, file);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new SafetensorsException(file, 8, "the header is not JSON: " + e.getOriginalMessage());
            }
            if (header == null || !header.isObject()) {
                throw new SafetensorsException(file, 8, "the header is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            long dataLength = size - dataStart;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                out.put(e.getKey(), tensor(ch, file, e.getKey(), e.getValue(), dataStart, dataLength));
            }
            return out;
        }
    }

    private static Tensor tensor(FileChannel ch, Path file, String name, JsonNode t, long dataStart, long dataLength)
            throws IOException {
        String dtype = t.path("dtype").asText("");
        if (!dtype.equals("F32")) {
            throw new SafetensorsException(file, 8, name + ": dtype '" + dtype + "' is not supported (only F32)");
        }
        JsonNode shapeNode = t.path("shape");
        JsonNode offsets = t.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new SafetensorsException(file, 8, name + ": needs a shape array and two data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw new SafetensorsException(file, 8, name + ": bad dimension " + shapeNode.get(i));
            }
            count *= shape[i];
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataLength) {
            throw new SafetensorsException(
                    file,
                    dataStart + Math.max(0, begin),
                    name + ": data_offsets [" + begin + ", " + end + "] are outside the " + dataLength + " data bytes");
        }
        if (end - begin != 4 * count) {
            throw new SafetensorsException(
                    file, dataStart + begin, name + ": " + (end - begin) + " bytes for " + count + " F32 values");
        }
        ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, data, dataStart + begin, file);
        float[] values = new float[(int) count];
        data.flip().asFloatBuffer().get(values);
        return new Tensor(shape, values);
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path file) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, at);
            if (n < 0) {
                throw new SafetensorsException(file, at, "unexpected end of file");
            }
            at += n;
        }
    }

    /** A malformed safetensors file: what is wrong and at which byte. */
    public static final class SafetensorsException extends IOException {
        private static final long serialVersionUID = 1L;

        public SafetensorsException(Path file, long offset, String what) {
            super(file + " at byte " + offset + ": " + what);
        }
    }
}
