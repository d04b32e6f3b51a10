package dev.tanrenai.models.gguf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's descriptor in a GGUF file.
 *
 * @param name unique tensor name (at most 63 UTF-8 bytes, ggml's GGML_MAX_NAME - 1)
 * @param shape ggml "ne" order: {@code shape[0]} is the contiguous dimension; 1 to 4 positive dims
 * @param type element type; {@code shape[0]} must be a multiple of its block size
 * @param offset byte offset of the data relative to the start of the data section
 */
public record GgufTensorInfo(String name, long[] shape, GgmlType type, long offset) {
    /** ggml's GGML_MAX_DIMS. */
    public static final int MAX_DIMS = 4;
    /** ggml's GGML_MAX_NAME (the name plus its NUL terminator must fit). */
    public static final int MAX_NAME_BYTES = 63;

    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("tensor name is empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("tensor name " + name + " is longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (shape.length < 1 || shape.length > MAX_DIMS) {
            throw new IllegalArgumentException(
                    "tensor " + name + " has " + shape.length + " dimensions, expected 1.." + MAX_DIMS);
        }
        shape = shape.clone();
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] <= 0) {
                throw new IllegalArgumentException("tensor " + name + " has non-positive ne[" + i + "] = "
                        + Long.toUnsignedString(shape[i]) + " in shape " + Arrays.toString(shape));
            }
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(
                        "tensor " + name + " shape " + Arrays.toString(shape) + " overflows the element count", e);
            }
        }
        if (shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor " + name + " has ne[0] = " + shape[0]
                    + ", not a multiple of the " + type + " block size " + type.blockSize());
        }
        try {
            type.byteSize(elements);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor " + name + " byte size overflows", e);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("tensor " + name + " has negative data offset " + offset);
        }
    }

    /** A copy of the shape (ggml ne order). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** ne[i], or 1 for i beyond the rank. */
    public long dim(int i) {
        return i < shape.length ? shape[i] : 1;
    }

    /** Product of all dimensions. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes of tensor data (without alignment padding). */
    public long byteSize() {
        return type.byteSize(elementCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t
                && name.equals(t.name)
                && Arrays.equals(shape, t.shape)
                && type == t.type
                && offset == t.offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), type, offset);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " @" + offset;
    }
}
