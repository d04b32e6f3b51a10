package dev.tanrenai.models.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a GGUF v3 file (little-endian): ordered metadata, then tensors, each tensor's data aligned
 * to {@link #alignment()}. Same puts in the same order give byte-identical files. {@link
 * #write(Path)} streams to a temporary file next to the target and moves it into place atomically.
 */
public final class GgufWriter {
    /** The GGUF default alignment (used when {@code general.alignment} is absent). */
    public static final int DEFAULT_ALIGNMENT = 32;

    static final int MAGIC = 0x4655_4747; // "GGUF" read as a little-endian uint32

    private final int alignment;
    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final Map<String, PendingTensor> tensors = new LinkedHashMap<>();

    private record PendingTensor(String name, long[] shape, GgmlType type, ByteBuffer data) {}

    /** A writer with the default alignment of 32 bytes. */
    public GgufWriter() {
        this(DEFAULT_ALIGNMENT);
    }

    /**
     * A writer with a custom alignment (a power of two); a non-default alignment is recorded as the
     * first metadata key {@code general.alignment} (uint32).
     */
    public GgufWriter(int alignment) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("GGUF alignment must be a positive power of two, got " + alignment);
        }
        this.alignment = alignment;
        if (alignment != DEFAULT_ALIGNMENT) {
            metadata.put("general.alignment", GgufValue.uint32(alignment));
        }
    }

    public int alignment() {
        return alignment;
    }

    /** Adds a metadata entry; keys must be unique and non-empty. */
    public GgufWriter put(String key, GgufValue value) {
        Objects.requireNonNull(value, "value");
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("GGUF metadata key must be non-empty");
        }
        if (key.equals("general.alignment")
                && !(value.type() == GgufValueType.UINT32 && (Long) value.value() == alignment)) {
            throw new IllegalArgumentException(
                    "general.alignment is set by the writer's constructor (" + alignment + ")");
        }
        if (metadata.containsKey(key)) {
            throw new IllegalArgumentException("duplicate GGUF metadata key " + key);
        }
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putUint8(String key, int v) {
        return put(key, GgufValue.uint8(v));
    }

    public GgufWriter putInt8(String key, int v) {
        return put(key, GgufValue.int8(v));
    }

    public GgufWriter putUint16(String key, int v) {
        return put(key, GgufValue.uint16(v));
    }

    public GgufWriter putInt16(String key, int v) {
        return put(key, GgufValue.int16(v));
    }

    public GgufWriter putUint32(String key, long v) {
        return put(key, GgufValue.uint32(v));
    }

    public GgufWriter putInt32(String key, int v) {
        return put(key, GgufValue.int32(v));
    }

    public GgufWriter putUint64(String key, long rawBits) {
        return put(key, GgufValue.uint64(rawBits));
    }

    public GgufWriter putInt64(String key, long v) {
        return put(key, GgufValue.int64(v));
    }

    public GgufWriter putFloat32(String key, float v) {
        return put(key, GgufValue.float32(v));
    }

    public GgufWriter putFloat64(String key, double v) {
        return put(key, GgufValue.float64(v));
    }

    public GgufWriter putBool(String key, boolean v) {
        return put(key, GgufValue.bool(v));
    }

    public GgufWriter putString(String key, String v) {
        return put(key, GgufValue.string(v));
    }

    public GgufWriter putArray(String key, GgufArray v) {
        return put(key, GgufValue.array(v));
    }

    public GgufWriter putStringArray(String key, List<String> v) {
        return putArray(key, GgufArray.ofStrings(v));
    }

    public GgufWriter putFloat32Array(String key, float[] v) {
        return putArray(key, GgufArray.ofFloat32(v));
    }

    public GgufWriter putInt32Array(String key, int[] v) {
        return putArray(key, GgufArray.ofInt32(v));
    }

    /**
     * Adds a tensor with already-encoded bytes ({@code data}'s remaining bytes, copied lazily at
     * write time; do not modify it before writing).
     *
     * @param shape ggml order: shape[0] is the contiguous dimension (1 to 4 dims, all positive)
     */
    public GgufWriter addTensor(String name, long[] shape, GgmlType type, ByteBuffer data) {
        GgufTensorInfo info = new GgufTensorInfo(name, shape, type, 0); // validates name, shape, block size
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("duplicate tensor name " + name);
        }
        if (data.remaining() != info.byteSize()) {
            throw new IllegalArgumentException("tensor " + name + " of type " + type + " and shape "
                    + Arrays.toString(shape) + " needs " + info.byteSize() + " bytes, got " + data.remaining());
        }
        tensors.put(
                name, new PendingTensor(name, shape.clone(), type, data.slice().order(ByteOrder.LITTLE_ENDIAN)));
        return this;
    }

    /** Adds an F32 tensor from floats. */
    public GgufWriter addF32(String name, long[] shape, float[] values) {
        return addTensor(name, shape, GgmlType.F32, values);
    }

    /** Adds a tensor encoding {@code values} as {@code type} with {@link Quantizer}. */
    public GgufWriter addTensor(String name, long[] shape, GgmlType type, float[] values) {
        return addTensor(name, shape, type, Quantizer.quantize(type, values));
    }

    /** Writes the file: temporary file in the target's directory, then an atomic move. */
    public void write(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                writeTo(os);
            }
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes the whole file to a stream (not closed). */
    public void writeTo(OutputStream stream) throws IOException {
        LittleEndianOutput out = new LittleEndianOutput(stream);
        out.u32(MAGIC);
        out.u32(3);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, GgufValue> entry : metadata.entrySet()) {
            out.string(entry.getKey());
            out.u32(entry.getValue().type().id());
            writeValue(out, entry.getValue().type(), entry.getValue().value());
        }
        List<Long> offsets = new ArrayList<>();
        long offset = 0;
        for (PendingTensor t : tensors.values()) {
            out.string(t.name());
            out.u32(t.shape().length);
            for (long dim : t.shape()) {
                out.u64(dim);
            }
            out.u32(t.type().id());
            out.u64(offset);
            offsets.add(offset);
            offset = alignUp(offset + t.data().remaining(), alignment);
        }
        out.zeros(alignUp(out.position(), alignment) - out.position());
        long dataStart = out.position();
        int i = 0;
        for (PendingTensor t : tensors.values()) {
            if (out.position() - dataStart != offsets.get(i++)) {
                throw new IllegalStateException("tensor data of " + t.name() + " is not where its info says");
            }
            out.bytes(t.data());
            out.zeros(alignUp(out.position() - dataStart, alignment) - (out.position() - dataStart));
        }
    }

    private static void writeValue(LittleEndianOutput out, GgufValueType type, Object value) throws IOException {
        switch (type) {
            case UINT8, INT8 -> out.u8((int) (long) (Long) value);
            case UINT16, INT16 -> out.u16((int) (long) (Long) value);
            case UINT32, INT32 -> out.u32((Long) value);
            case UINT64, INT64 -> out.u64((Long) value);
            case FLOAT32 -> out.f32((Float) value);
            case FLOAT64 -> out.f64((Double) value);
            case BOOL -> out.u8((Boolean) value ? 1 : 0);
            case STRING -> out.string((String) value);
            case ARRAY -> {
                GgufArray array = (GgufArray) value;
                out.u32(array.elementType().id());
                out.u64(array.size());
                for (Object element : array.elements()) {
                    writeValue(out, array.elementType(), element);
                }
            }
        }
    }

    static long alignUp(long value, long alignment) {
        return Math.addExact(value, alignment - 1) / alignment * alignment;
    }
}
