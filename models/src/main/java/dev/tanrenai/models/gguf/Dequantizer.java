package dev.tanrenai.models.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * Turns ggml tensor bytes into floats with the exact block layouts of llama.cpp's ggml-common.h
 * and the arithmetic of ggml-quants.c {@code dequantize_row_*}. Supported: F32, F16, BF16, Q8_0,
 * Q4_0, Q4_K, Q5_K, Q6_K; every other type fails with a {@link GgufFormatException}.
 */
public final class Dequantizer {
    /** Elements decoded per step: a multiple of every block size. */
    private static final int CHUNK = 4096;

    private Dequantizer() {}

    /** Decodes {@code count} consecutive blocks from {@code in} into {@code out[0..count*blockSize)}. */
    @FunctionalInterface
    private interface BlockKernel {
        void decode(ByteBuffer in, float[] out, int count);
    }

    /**
     * Dequantizes a whole tensor.
     *
     * @param tensor the tensor's info (type and shape)
     * @param data its bytes (at least {@code tensor.byteSize()} remaining; not modified)
     * @param dst receives {@code tensor.elementCount()} floats
     * @param file the file, for error messages (may be null)
     */
    public static void dequantize(GgufTensorInfo tensor, ByteBuffer data, FloatBuffer dst, Path file)
            throws GgufFormatException {
        BlockKernel kernel = kernel(tensor, file);
        long elements = tensor.elementCount();
        if (data.remaining() < tensor.byteSize()) {
            throw new GgufFormatException(
                    "tensor needs " + tensor.byteSize() + " bytes of " + tensor.type() + " data, only "
                            + data.remaining() + " given",
                    file,
                    -1,
                    tensor.name());
        }
        if (dst.remaining() < elements) {
            throw new IllegalArgumentException("destination has room for " + dst.remaining() + " floats, tensor "
                    + tensor.name() + " has " + elements);
        }
        ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int blockSize = tensor.type().blockSize();
        float[] chunk = new float[CHUNK];
        long done = 0;
        while (done < elements) {
            int n = (int) Math.min(CHUNK, elements - done);
            kernel.decode(in, chunk, n / blockSize);
            dst.put(chunk, 0, n);
            done += n;
        }
    }

    /** Dequantizes a byte buffer holding whole blocks of {@code type} into a new array. */
    public static float[] dequantize(GgmlType type, ByteBuffer data, long elements) throws GgufFormatException {
        GgufTensorInfo info = new GgufTensorInfo("buffer", new long[] {elements}, type, 0);
        float[] out = new float[Math.toIntExact(elements)];
        dequantize(info, data, FloatBuffer.wrap(out), null);
        return out;
    }

    private static BlockKernel kernel(GgufTensorInfo tensor, Path file) throws GgufFormatException {
        BlockKernel kernel =
                switch (tensor.type()) {
                    case F32 -> Dequantizer::f32;
                    case F16 -> Dequantizer::f16;
                    case BF16 -> Dequantizer::bf16;
                    case Q8_0 -> Dequantizer::q8_0;
                    case Q4_0 -> Dequantizer::q4_0;
                    case Q4_K -> Dequantizer::q4K;
                    case Q5_K -> Dequantizer::q5K;
                    case Q6_K -> Dequantizer::q6K;
                    case Q4_1,
                            Q5_0,
                            Q5_1,
                            Q8_1,
                            Q2_K,
                            Q3_K,
                            Q8_K,
                            IQ2_XXS,
                            IQ2_XS,
                            IQ3_XXS,
                            IQ1_S,
                            IQ4_NL,
                            IQ3_S,
                            IQ2_S,
                            IQ4_XS,
                            I8,
                            I16,
                            I32,
                            I64,
                            F64,
                            IQ1_M,
                            TQ1_0,
                            TQ2_0 -> null;
                };
        if (kernel == null) {
            throw new GgufFormatException(
                    "tensor " + tensor.name() + " has type " + tensor.type()
                            + ", which Tanrenai cannot dequantize (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q5_K, Q6_K)",
                    file,
                    -1,
                    tensor.name());
        }
        return kernel;
    }

    private static void f32(ByteBuffer in, float[] out, int count) {
        in.asFloatBuffer().get(out, 0, count);
        in.position(in.position() + 4 * count);
    }

    private static void f16(ByteBuffer in, float[] out, int count) {
        for (int i = 0; i < count; i++) {
            out[i] = Float16.halfToFloat(in.getShort());
        }
    }

    private static void bf16(ByteBuffer in, float[] out, int count) {
        for (int i = 0; i < count; i++) {
            out[i] = Float16.bf16ToFloat(in.getShort());
        }
    }

    // block_q8_0 (34 bytes): ggml_half d; int8_t qs[32]; y[j] = qs[j] * d
    private static void q8_0(ByteBuffer in, float[] out, int count) {
        for (int b = 0; b < count; b++) {
            float d = Float16.halfToFloat(in.getShort());
            for (int j = 0; j < 32; j++) {
                out[b * 32 + j] = in.get() * d;
            }
        }
    }

    // block_q4_0 (18 bytes): ggml_half d; uint8_t qs[16];
    // y[j] = ((qs[j] & 0xF) - 8) * d, y[j + 16] = ((qs[j] >> 4) - 8) * d
    private static void q4_0(ByteBuffer in, float[] out, int count) {
        for (int b = 0; b < count; b++) {
            float d = Float16.halfToFloat(in.getShort());
            int base = b * 32;
            for (int j = 0; j < 16; j++) {
                int q = in.get() & 0xFF;
                out[base + j] = ((q & 0x0F) - 8) * d;
                out[base + j + 16] = ((q >>> 4) - 8) * d;
            }
        }
    }

    /**
     * ggml's get_scale_min_k4: the j-th (0..7) 6-bit scale and min packed in the 12 scale bytes.
     *
     * @return scale in bits 0..7, min in bits 8..15
     */
    static int scaleMinK4(int j, byte[] q, int qOffset) {
        int sc;
        int m;
        if (j < 4) {
            sc = q[qOffset + j] & 63;
            m = q[qOffset + j + 4] & 63;
        } else {
            sc = (q[qOffset + j + 4] & 0x0F) | (((q[qOffset + j - 4] & 0xFF) >>> 6) << 4);
            m = ((q[qOffset + j + 4] & 0xFF) >>> 4) | (((q[qOffset + j] & 0xFF) >>> 6) << 4);
        }
        return sc | (m << 8);
    }

    // block_q4_K (144 bytes): ggml_half d, dmin; uint8_t scales[12]; uint8_t qs[128]
    private static void q4K(ByteBuffer in, float[] out, int count) {
        byte[] block = new byte[144];
        for (int b = 0; b < count; b++) {
            in.get(block);
            float d = Float16.halfToFloat((block[0] & 0xFF) | ((block[1] & 0xFF) << 8));
            float min = Float16.halfToFloat((block[2] & 0xFF) | ((block[3] & 0xFF) << 8));
            int y = b * 256;
            int q = 16; // qs start
            for (int j = 0, is = 0; j < 256; j += 64, is += 2, q += 32) {
                int sm1 = scaleMinK4(is, block, 4);
                int sm2 = scaleMinK4(is + 1, block, 4);
                float d1 = d * (sm1 & 0xFF);
                float m1 = min * (sm1 >>> 8);
                float d2 = d * (sm2 & 0xFF);
                float m2 = min * (sm2 >>> 8);
                for (int l = 0; l < 32; l++) {
                    out[y++] = d1 * (block[q + l] & 0x0F) - m1;
                }
                for (int l = 0; l < 32; l++) {
                    out[y++] = d2 * ((block[q + l] & 0xFF) >>> 4) - m2;
                }
            }
        }
    }

    // block_q5_K (176 bytes): ggml_half d, dmin; uint8_t scales[12]; uint8_t qh[32]; uint8_t qs[128]
    private static void q5K(ByteBuffer in, float[] out, int count) {
        byte[] block = new byte[176];
        for (int b = 0; b < count; b++) {
            in.get(block);
            float d = Float16.halfToFloat((block[0] & 0xFF) | ((block[1] & 0xFF) << 8));
            float min = Float16.halfToFloat((block[2] & 0xFF) | ((block[3] & 0xFF) << 8));
            int y = b * 256;
            int qh = 16;
            int ql = 48;
            int u1 = 1;
            int u2 = 2;
            for (int j = 0, is = 0; j < 256; j += 64, is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
                int sm1 = scaleMinK4(is, block, 4);
                int sm2 = scaleMinK4(is + 1, block, 4);
                float d1 = d * (sm1 & 0xFF);
                float m1 = min * (sm1 >>> 8);
                float d2 = d * (sm2 & 0xFF);
                float m2 = min * (sm2 >>> 8);
                for (int l = 0; l < 32; l++) {
                    int high = (block[qh + l] & u1) != 0 ? 16 : 0;
                    out[y++] = d1 * ((block[ql + l] & 0x0F) + high) - m1;
                }
                for (int l = 0; l < 32; l++) {
                    int high = (block[qh + l] & u2) != 0 ? 16 : 0;
                    out[y++] = d2 * (((block[ql + l] & 0xFF) >>> 4) + high) - m2;
                }
            }
        }
    }

    // block_q6_K (210 bytes): uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; ggml_half d
    private static void q6K(ByteBuffer in, float[] out, int count) {
        byte[] block = new byte[210];
        for (int b = 0; b < count; b++) {
            in.get(block);
            float d = Float16.halfToFloat((block[208] & 0xFF) | ((block[209] & 0xFF) << 8));
            int y = b * 256;
            int ql = 0;
            int qh = 128;
            int sc = 192;
            for (int n = 0; n < 256; n += 128, y += 128, ql += 64, qh += 32, sc += 8) {
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int h = block[qh + l] & 0xFF;
                    int q1 = ((block[ql + l] & 0x0F) | ((h & 3) << 4)) - 32;
                    int q2 = ((block[ql + l + 32] & 0x0F) | (((h >>> 2) & 3) << 4)) - 32;
                    int q3 = (((block[ql + l] & 0xFF) >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                    int q4 = (((block[ql + l + 32] & 0xFF) >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                    out[y + l] = d * block[sc + is] * q1;
                    out[y + l + 32] = d * block[sc + is + 2] * q2;
                    out[y + l + 64] = d * block[sc + is + 4] * q3;
                    out[y + l + 96] = d * block[sc + is + 6] * q4;
                }
            }
        }
    }
}
