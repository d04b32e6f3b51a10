package dev.tanrenai.models.gguf;

/** The 13 metadata value types of the GGUF format, with their on-disk ids. */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    /** uint64 length + UTF-8 bytes. */
    STRING(8, 8),
    /** uint32 element type + uint64 count + elements. */
    ARRAY(9, 12),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int minSize;

    GgufValueType(int id, int minSize) {
        this.id = id;
        this.minSize = minSize;
    }

    /** On-disk id. */
    public int id() {
        return id;
    }

    /** Smallest number of bytes one value of this type occupies on disk (exact for scalars). */
    public int minSize() {
        return minSize;
    }

    /** True for the eight integer types. */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            case FLOAT32, FLOAT64, BOOL, STRING, ARRAY -> false;
        };
    }

    /**
     * Looks up a type by on-disk id.
     *
     * @throws IllegalArgumentException for unknown ids
     */
    public static GgufValueType fromId(int id) {
        for (GgufValueType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                "unknown GGUF metadata value type id " + Integer.toUnsignedString(id) + " (known: 0..12)");
    }
}
