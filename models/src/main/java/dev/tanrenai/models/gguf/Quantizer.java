package dev.tanrenai.models.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts floats into ggml tensor bytes for F32, F16, BF16, Q8_0 and Q4_0, following ggml's
 * reference (round-to-nearest) quantizers {@code quantize_row_q8_0_ref} and {@code
 * quantize_row_q4_0_ref}.
 */
public final class Quantizer {
    private Quantizer() {}

    /** True for the types {@link #quantize} can produce. */
    public static boolean supports(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0 -> true;
            default -> false;
        };
    }

    /**
     * Encodes {@code values} as {@code type}; the count must be a whole number of blocks.
     *
     * @return a little-endian buffer positioned at 0 holding exactly the tensor bytes
     */
    public static ByteBuffer quantize(GgmlType type, float[] values) {
        if (values.length % type.blockSize() != 0) {
            throw new IllegalArgumentException(
                    values.length + " values are not a whole number of " + type + " blocks of " + type.blockSize());
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(type.byteSize(values.length)))
                .order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> {
                for (float v : values) {
                    out.putFloat(v);
                }
            }
            case F16 -> {
                for (float v : values) {
                    out.putShort(Float16.floatToHalf(v));
                }
            }
            case BF16 -> {
                for (float v : values) {
                    out.putShort(Float16.floatToBf16(v));
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < values.length; b += 32) {
                    quantizeBlockQ8_0(values, b, out);
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < values.length; b += 32) {
                    quantizeBlockQ4_0(values, b, out);
                }
            }
            default ->
                throw new IllegalArgumentException(
                        "Tanrenai cannot quantize to " + type + " (supported: F32, F16, BF16, Q8_0, Q4_0)");
        }
        return out.flip();
    }

    // block_q8_0: f16 d, int8 qs[32]; d = amax / 127, q = round(x / d)
    private static void quantizeBlockQ8_0(float[] x, int start, ByteBuffer out) {
        float amax = 0f;
        for (int j = 0; j < 32; j++) {
            amax = Math.max(amax, Math.abs(x[start + j]));
        }
        float d = amax / 127f;
        float id = d != 0f ? 1f / d : 0f;
        out.putShort(Float16.floatToHalf(d));
        for (int j = 0; j < 32; j++) {
            out.put((byte) roundHalfAwayFromZero(x[start + j] * id));
        }
    }

    // block_q4_0: f16 d, uint8 qs[16]; d = max / -8 (max = signed value of largest magnitude);
    // element j in the low nibble of qs[j], element j + 16 in the high nibble
    private static void quantizeBlockQ4_0(float[] x, int start, ByteBuffer out) {
        float amax = 0f;
        float max = 0f;
        for (int j = 0; j < 32; j++) {
            float v = x[start + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0f ? 1f / d : 0f;
        out.putShort(Float16.floatToHalf(d));
        for (int j = 0; j < 16; j++) {
            float x0 = x[start + j] * id;
            float x1 = x[start + 16 + j] * id;
            int q0 = Math.min(15, (int) (x0 + 8.5f));
            int q1 = Math.min(15, (int) (x1 + 8.5f));
            out.put((byte) (q0 | (q1 << 4)));
        }
    }

    /** C {@code roundf}: halves round away from zero. */
    static int roundHalfAwayFromZero(float v) {
        return (int) (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
    }
}
