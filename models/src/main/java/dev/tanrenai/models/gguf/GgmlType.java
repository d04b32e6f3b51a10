package dev.tanrenai.models.gguf;

/**
 * Every tensor element type of ggml's {@code enum ggml_type} as of llama.cpp build b4916, with the
 * block geometry needed to validate any GGUF file's tensor sizes and offsets.
 *
 * <p>Ids 4, 5 (Q4_2, Q4_3), 31..33 (Q4_0_4_4 family) and 36..38 (IQ4_NL_4_4 family) were removed
 * from GGUF files upstream and are rejected by {@link #fromId(int)}.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66);

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType type : values()) {
            BY_ID[type.id] = type;
        }
    }

    private final int id;
    private final int blockSize;
    private final int typeSize;

    GgmlType(int id, int blockSize, int typeSize) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
    }

    /** The numeric ggml type id as stored in a GGUF tensor info. */
    public int id() {
        return id;
    }

    /** Number of elements in one block (1 for plain types, 32 or 256 for quantized ones). */
    public int blockSize() {
        return blockSize;
    }

    /** Number of bytes one block occupies. */
    public int typeSize() {
        return typeSize;
    }

    /** True when {@link Dequantizer} can turn this type into floats. */
    public boolean supportsDequantization() {
        return switch (this) {
            case F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q5_K, Q6_K -> true;
            default -> false;
        };
    }

    /**
     * Bytes needed for {@code elements} elements (must be a multiple of the block size).
     *
     * @throws IllegalArgumentException if the count is negative or not a whole number of blocks
     * @throws ArithmeticException if the size overflows a long
     */
    public long byteSize(long elements) {
        if (elements < 0 || elements % blockSize != 0) {
            throw new IllegalArgumentException(
                    elements + " elements are not a whole number of " + name() + " blocks of " + blockSize);
        }
        return Math.multiplyExact(elements / blockSize, (long) typeSize);
    }

    /**
     * Looks a type up by its ggml id.
     *
     * @throws IllegalArgumentException for ids that are not (or no longer) valid ggml types
     */
    public static GgmlType fromId(int id) {
        GgmlType type = id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
        if (type == null) {
            throw new IllegalArgumentException(
                    "unknown ggml type id " + id + " (llama.cpp b4916 knows 0..35 without 4, 5, 31..33)");
        }
        return type;
    }
}
