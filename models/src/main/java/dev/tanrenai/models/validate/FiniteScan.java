package dev.tanrenai.models.validate;

import dev.tanrenai.models.gguf.Float16;
import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * Streams over a tensor's memory-mapped bytes and fails on the first Inf or NaN. Plain float types
 * (F32, F16, BF16, F64) are checked element by element; quantized types through the floating-point
 * scale fields of every block (a non-finite scale makes its whole block non-finite). Not checked:
 * IQ1_M (its scale is packed into 4-bit fields, no float field to test) and the integer types (always
 * finite). Nothing is copied to the heap beyond one small chunk.
 */
final class FiniteScan {
    private static final int CHUNK = 1 << 14;

    private FiniteScan() {}

    /** Which types have their values (or scales) checked. */
    static boolean checks(GgmlType type) {
        return type != GgmlType.IQ1_M;
    }

    /**
     * Fails on a non-finite value; returns the largest magnitude for plain float types and NaN for
     * quantized or integer ones (whose scales only are checked).
     */
    static double scan(GgufFile gguf, GgufTensorInfo t, MetadataReader m) throws IOException {
        ByteBuffer raw = gguf.rawData(t);
        return switch (t.type()) {
            case F32 -> f32(raw.asIntBuffer(), t, m);
            case F16 -> half(raw.asShortBuffer(), 0x7c00, t, m, false);
            case BF16 -> half(raw.asShortBuffer(), 0x7f80, t, m, true);
            case F64 -> f64(raw.asLongBuffer(), t, m);
            case I8, I16, I32, I64, IQ1_M -> Double.NaN;
            case Q8_K -> {
                blocksF32(raw, t, 0, m);
                yield Double.NaN;
            }
            case Q4_0, Q5_0, Q8_0, IQ2_XXS, IQ2_XS, IQ3_XXS, IQ1_S, IQ4_NL, IQ3_S, IQ2_S, IQ4_XS -> {
                blocksF16(raw, t, m, 0);
                yield Double.NaN;
            }
            case Q4_1, Q5_1, Q8_1, Q4_K, Q5_K -> {
                blocksF16(raw, t, m, 0, 2); // d and m (or dmin, or s)
                yield Double.NaN;
            }
            case Q2_K -> {
                blocksF16(raw, t, m, 80, 82); // scales[16], qs[64], then d, dmin
                yield Double.NaN;
            }
            case Q3_K -> {
                blocksF16(raw, t, m, 108); // hmask[32], qs[64], scales[12], then d
                yield Double.NaN;
            }
            case Q6_K -> {
                blocksF16(raw, t, m, 208); // ql[128], qh[64], scales[16], then d
                yield Double.NaN;
            }
            case TQ1_0 -> {
                blocksF16(raw, t, m, 52); // qs[48], qh[4], then d
                yield Double.NaN;
            }
            case TQ2_0 -> {
                blocksF16(raw, t, m, 64); // qs[64], then d
                yield Double.NaN;
            }
        };
    }

    private static double f32(IntBuffer in, GgufTensorInfo t, MetadataReader m) {
        int[] chunk = new int[CHUNK];
        long index = 0;
        int maxBits = 0;
        while (in.hasRemaining()) {
            int n = Math.min(CHUNK, in.remaining());
            in.get(chunk, 0, n);
            for (int i = 0; i < n; i++) {
                int bits = chunk[i] & 0x7fff_ffff;
                if (bits >= 0x7f80_0000) {
                    throw nonFinite(t, index + i, Float.intBitsToFloat(chunk[i]), m);
                }
                if (bits > maxBits) {
                    maxBits = bits; // for finite floats, larger magnitude bits mean a larger magnitude
                }
            }
            index += n;
        }
        return Float.intBitsToFloat(maxBits);
    }

    private static double half(ShortBuffer in, int exponentMask, GgufTensorInfo t, MetadataReader m, boolean bf16) {
        short[] chunk = new short[CHUNK];
        long index = 0;
        int maxBits = 0;
        while (in.hasRemaining()) {
            int n = Math.min(CHUNK, in.remaining());
            in.get(chunk, 0, n);
            for (int i = 0; i < n; i++) {
                int bits = chunk[i] & 0x7fff;
                if ((bits & exponentMask) == exponentMask) {
                    int h = chunk[i] & 0xffff;
                    throw nonFinite(t, index + i, bf16 ? Float16.bf16ToFloat(h) : Float16.halfToFloat(h), m);
                }
                if (bits > maxBits) {
                    maxBits = bits;
                }
            }
            index += n;
        }
        return bf16 ? Float16.bf16ToFloat(maxBits) : Float16.halfToFloat(maxBits);
    }

    private static double f64(LongBuffer in, GgufTensorInfo t, MetadataReader m) {
        double max = 0;
        long index = 0;
        while (in.hasRemaining()) {
            double v = in.get();
            if (!Double.isFinite(v)) {
                throw nonFinite(t, index, v, m);
            }
            max = Math.max(max, Math.abs(v));
            index++;
        }
        return max;
    }

    private static void blocksF16(ByteBuffer raw, GgufTensorInfo t, MetadataReader m, int... offsets) {
        int size = t.type().typeSize();
        long blocks = t.byteSize() / size;
        for (long b = 0; b < blocks; b++) {
            int base = (int) (b * size);
            for (int offset : offsets) {
                int h = raw.getShort(base + offset) & 0xffff;
                if ((h & 0x7c00) == 0x7c00) {
                    throw m.fail(
                            t.name(),
                            Float.toString(Float16.halfToFloat(h)),
                            "the scale at byte " + offset + " of " + t.type() + " block " + b
                                    + " is not finite (every value of the block would be)");
                }
            }
        }
    }

    private static void blocksF32(ByteBuffer raw, GgufTensorInfo t, int offset, MetadataReader m) {
        int size = t.type().typeSize();
        long blocks = t.byteSize() / size;
        for (long b = 0; b < blocks; b++) {
            float d = raw.getFloat((int) (b * size) + offset);
            if (!Float.isFinite(d)) {
                throw m.fail(
                        t.name(), Float.toString(d), "the scale of " + t.type() + " block " + b + " is not finite");
            }
        }
    }

    private static ModelValidationException nonFinite(GgufTensorInfo t, long index, double value, MetadataReader m) {
        return m.fail(
                t.name(), Double.toString(value), "element " + index + " (of " + t.type() + " data) is not finite");
    }
}
