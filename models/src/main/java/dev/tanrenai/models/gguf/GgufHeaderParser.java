package dev.tanrenai.models.gguf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates everything of a GGUF file before its tensor data: magic, version (2 or 3),
 * metadata, tensor infos, alignment, and the placement of every tensor inside the data section.
 */
final class GgufHeaderParser {
    /** Nested arrays deeper than this are rejected (real files use at most 2). */
    static final int MAX_ARRAY_DEPTH = 8;

    // smallest possible tensor info: name length (8) + 1 name byte + n_dims (4) + 1 dim (8) + type (4) + offset (8)
    private static final int MIN_TENSOR_INFO_BYTES = 33;
    // smallest possible metadata entry: key length (8) + 1 key byte + type (4) + 1 value byte
    private static final int MIN_KV_BYTES = 14;

    record Header(
            int version,
            GgufMetadata metadata,
            List<GgufTensorInfo> tensors,
            int alignment,
            long dataOffset,
            long fileSize) {}

    private final GgufInput in;

    GgufHeaderParser(GgufInput in) {
        this.in = in;
    }

    Header parse() throws IOException {
        long magic = in.u32("magic");
        if (magic != (GgufWriter.MAGIC & 0xFFFF_FFFFL)) {
            throw in.error(
                    String.format(
                            "bad magic 0x%08X, expected 0x%08X (\"GGUF\"): not a GGUF file", magic, GgufWriter.MAGIC),
                    0);
        }
        long version = in.u32("version");
        if (version == 1) {
            throw in.error(
                    "GGUF version 1 is not supported (only versions 2 and 3; re-convert the model with a newer llama.cpp)",
                    4);
        }
        if (version != 2 && version != 3) {
            throw in.error(
                    "unsupported GGUF version " + version + " (supported: 2, 3)"
                            + (Long.numberOfTrailingZeros(version) >= 24
                                    ? "; big-endian GGUF files are not supported"
                                    : ""),
                    4);
        }
        long countsAt = in.position();
        long tensorCount = in.u64("tensor count");
        long kvCount = in.u64("metadata count");
        checkCount(tensorCount, MIN_TENSOR_INFO_BYTES, "tensor count", countsAt);
        checkCount(kvCount, MIN_KV_BYTES, "metadata count", countsAt + 8);

        Map<String, GgufValue> entries = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long keyAt = in.position();
            String key = in.string("metadata key #" + i);
            if (key.isEmpty()) {
                throw in.error("metadata key #" + i + " is empty", keyAt);
            }
            if (entries.containsKey(key)) {
                throw in.error("duplicate metadata key " + key, keyAt);
            }
            GgufValueType type = valueType("metadata key " + key);
            entries.put(key, new GgufValue(type, readValue(type, key, 0)));
        }
        GgufMetadata metadata = new GgufMetadata(entries, in.path());
        int alignment = alignment(entries);

        List<GgufTensorInfo> tensors = new ArrayList<>((int) Math.min(tensorCount, 1 << 16));
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            tensors.add(readTensorInfo(i, names));
        }
        long afterInfos = in.position();
        long dataOffset = GgufWriter.alignUp(afterInfos, alignment);
        checkPlacement(tensors, alignment, dataOffset);
        return new Header((int) version, metadata, List.copyOf(tensors), alignment, dataOffset, in.fileSize());
    }

    private void checkCount(long count, int minBytes, String what, long at) throws GgufFormatException {
        if (count < 0 || count > in.remaining() / minBytes) {
            throw in.error(
                    "file truncated or corrupt: " + what + " " + Long.toUnsignedString(count) + " cannot fit in the "
                            + in.remaining() + " bytes left in the file",
                    at);
        }
    }

    private GgufValueType valueType(String what) throws IOException {
        long at = in.position();
        long id = in.u32(what + " value type");
        try {
            return GgufValueType.fromId((int) id);
        } catch (IllegalArgumentException e) {
            throw in.error(what + ": unknown value type id " + id + " (known: 0..12)", at);
        }
    }

    private Object readValue(GgufValueType type, String key, int depth) throws IOException {
        String what = "value of " + key;
        return switch (type) {
            case UINT8 -> (long) in.u8(what);
            case INT8 -> (long) (byte) in.u8(what);
            case UINT16 -> (long) in.u16(what);
            case INT16 -> (long) (short) in.u16(what);
            case UINT32 -> in.u32(what);
            case INT32 -> (long) (int) in.u32(what);
            case UINT64, INT64 -> in.u64(what);
            case FLOAT32 -> in.f32(what);
            case FLOAT64 -> in.f64(what);
            case BOOL -> readBool(what);
            case STRING -> in.string(what);
            case ARRAY -> readArray(key, depth);
        };
    }

    private Boolean readBool(String what) throws IOException {
        long at = in.position();
        int b = in.u8(what);
        if (b > 1) {
            throw in.error(what + " is a BOOL with byte value " + b + " (expected 0 or 1)", at);
        }
        return b == 1;
    }

    private GgufArray readArray(String key, int depth) throws IOException {
        long at = in.position();
        if (depth >= MAX_ARRAY_DEPTH) {
            throw in.error("metadata key " + key + " nests arrays deeper than " + MAX_ARRAY_DEPTH, at);
        }
        GgufValueType elementType = valueType("array of " + key);
        long countAt = in.position();
        long count = in.u64("array length of " + key);
        if (count < 0 || count > in.remaining() / elementType.minSize()) {
            throw in.error(
                    "file truncated or corrupt: array " + key + " claims " + Long.toUnsignedString(count)
                            + " elements of " + elementType + " but only " + in.remaining() + " bytes remain",
                    countAt);
        }
        List<Object> elements = new ArrayList<>((int) Math.min(count, 1 << 16));
        for (long i = 0; i < count; i++) {
            elements.add(readValue(elementType, key + "[" + i + "]", depth + 1));
        }
        return new GgufArray(elementType, elements);
    }

    private int alignment(Map<String, GgufValue> entries) throws GgufFormatException {
        GgufValue value = entries.get("general.alignment");
        if (value == null) {
            return GgufWriter.DEFAULT_ALIGNMENT;
        }
        if (value.type() != GgufValueType.UINT32) {
            throw in.error("general.alignment has type " + value.type() + ", expected UINT32", -1);
        }
        long alignment = (Long) value.value();
        if (alignment == 0 || Long.bitCount(alignment) != 1 || alignment > (1 << 30)) {
            throw in.error("general.alignment " + alignment + " is not a power of two up to 2^30", -1);
        }
        return (int) alignment;
    }

    private GgufTensorInfo readTensorInfo(long index, Set<String> names) throws IOException {
        long infoAt = in.position();
        String name = in.string("name of tensor #" + index);
        in.tensorContext(name);
        if (!names.add(name)) {
            throw in.error("duplicate tensor name " + name, infoAt);
        }
        long dimsAt = in.position();
        long nDims = in.u32("dimension count");
        if (nDims < 1 || nDims > GgufTensorInfo.MAX_DIMS) {
            throw in.error("tensor has " + nDims + " dimensions, expected 1.." + GgufTensorInfo.MAX_DIMS, dimsAt);
        }
        long[] shape = new long[(int) nDims];
        for (int d = 0; d < nDims; d++) {
            long at = in.position();
            shape[d] = in.u64("ne[" + d + "]");
            if (shape[d] <= 0) {
                throw in.error("ne[" + d + "] = " + Long.toUnsignedString(shape[d]) + " is not a positive size", at);
            }
        }
        long typeAt = in.position();
        long typeId = in.u32("ggml type");
        GgmlType type;
        try {
            type = GgmlType.fromId((int) typeId);
        } catch (IllegalArgumentException e) {
            throw in.error(
                    "unknown ggml type id " + typeId + " (llama.cpp b4916 knows 0..35 without 4, 5, 31..33)", typeAt);
        }
        long offsetAt = in.position();
        long offset = in.u64("data offset");
        if (offset < 0) {
            throw in.error("data offset " + Long.toUnsignedString(offset) + " is past the end of the file", offsetAt);
        }
        try {
            GgufTensorInfo info = new GgufTensorInfo(name, shape, type, offset);
            in.tensorContext(null);
            return info;
        } catch (IllegalArgumentException e) {
            throw in.error("invalid tensor info: " + e.getMessage(), infoAt);
        }
    }

    private void checkPlacement(List<GgufTensorInfo> tensors, int alignment, long dataOffset)
            throws GgufFormatException {
        if (tensors.isEmpty()) {
            return;
        }
        long dataSize = in.fileSize() - dataOffset;
        if (dataSize < 0) {
            throw in.error(
                    "file truncated: the tensor data section should start at " + dataOffset + " but the file has "
                            + in.fileSize() + " bytes",
                    in.fileSize());
        }
        for (GgufTensorInfo t : tensors) {
            if (t.offset() % alignment != 0) {
                throw new GgufFormatException(
                        "tensor data offset " + t.offset() + " is not a multiple of the alignment " + alignment,
                        in.path(),
                        dataOffset + t.offset(),
                        t.name());
            }
            if (t.offset() > dataSize || t.byteSize() > dataSize - t.offset()) {
                throw new GgufFormatException(
                        "tensor data [" + t.offset() + ", +" + t.byteSize()
                                + ") runs past the end of the data section (" + dataSize + " bytes; file truncated?)",
                        in.path(),
                        dataOffset + t.offset(),
                        t.name());
            }
        }
        GgufTensorInfo[] byOffset = tensors.toArray(new GgufTensorInfo[0]);
        Arrays.sort(byOffset, Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 1; i < byOffset.length; i++) {
            GgufTensorInfo prev = byOffset[i - 1];
            GgufTensorInfo cur = byOffset[i];
            if (prev.offset() + prev.byteSize() > cur.offset()) {
                throw new GgufFormatException(
                        "tensor data overlaps tensor " + prev.name() + " (which ends at data offset "
                                + (prev.offset() + prev.byteSize()) + ", this starts at " + cur.offset() + ")",
                        in.path(),
                        dataOffset + cur.offset(),
                        cur.name());
            }
        }
    }
}
