package dev.tanrenai.models.gguf;

import java.util.Objects;

/**
 * One typed GGUF metadata value. Java representation of {@code value} by {@code type}: all integer
 * types are a {@link Long} (range-checked for the type; UINT64 keeps the raw 64 bits), FLOAT32 a
 * {@link Float}, FLOAT64 a {@link Double}, BOOL a {@link Boolean}, STRING a {@link String}, ARRAY a
 * {@link GgufArray}.
 */
public record GgufValue(GgufValueType type, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        checkElement(type, value);
    }

    static void checkElement(GgufValueType type, Object value) {
        Class<?> expected =
                switch (type) {
                    case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> Long.class;
                    case FLOAT32 -> Float.class;
                    case FLOAT64 -> Double.class;
                    case BOOL -> Boolean.class;
                    case STRING -> String.class;
                    case ARRAY -> GgufArray.class;
                };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("a GGUF " + type + " value must be a " + expected.getSimpleName()
                    + ", got " + value.getClass().getSimpleName());
        }
        if (type.isInteger()) {
            long v = (Long) value;
            boolean ok =
                    switch (type) {
                        case UINT8 -> v >= 0 && v <= 0xFF;
                        case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
                        case UINT16 -> v >= 0 && v <= 0xFFFF;
                        case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
                        case UINT32 -> v >= 0 && v <= 0xFFFF_FFFFL;
                        case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
                        case UINT64, INT64 -> true;
                        default -> throw new IllegalStateException("not an integer type: " + type);
                    };
            if (!ok) {
                throw new IllegalArgumentException(v + " is out of range for GGUF type " + type);
            }
        }
    }

    public static GgufValue uint8(int v) {
        return new GgufValue(GgufValueType.UINT8, (long) v);
    }

    public static GgufValue int8(int v) {
        return new GgufValue(GgufValueType.INT8, (long) v);
    }

    public static GgufValue uint16(int v) {
        return new GgufValue(GgufValueType.UINT16, (long) v);
    }

    public static GgufValue int16(int v) {
        return new GgufValue(GgufValueType.INT16, (long) v);
    }

    public static GgufValue uint32(long v) {
        return new GgufValue(GgufValueType.UINT32, v);
    }

    public static GgufValue int32(int v) {
        return new GgufValue(GgufValueType.INT32, (long) v);
    }

    /** UINT64 from raw bits (values above Long.MAX_VALUE are negative longs). */
    public static GgufValue uint64(long rawBits) {
        return new GgufValue(GgufValueType.UINT64, rawBits);
    }

    public static GgufValue int64(long v) {
        return new GgufValue(GgufValueType.INT64, v);
    }

    public static GgufValue float32(float v) {
        return new GgufValue(GgufValueType.FLOAT32, v);
    }

    public static GgufValue float64(double v) {
        return new GgufValue(GgufValueType.FLOAT64, v);
    }

    public static GgufValue bool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, v);
    }

    public static GgufValue string(String v) {
        return new GgufValue(GgufValueType.STRING, v);
    }

    public static GgufValue array(GgufArray v) {
        return new GgufValue(GgufValueType.ARRAY, v);
    }

    /** Short human-readable rendering (arrays abbreviated). */
    public String render() {
        return switch (type) {
            case STRING -> '"' + (String) value + '"';
            case ARRAY -> ((GgufArray) value).render();
            case UINT64 -> Long.toUnsignedString((Long) value);
            default -> String.valueOf(value);
        };
    }
}
