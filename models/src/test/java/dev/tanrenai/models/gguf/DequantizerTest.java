package dev.tanrenai.models.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * Hand-built blocks for every supported type; expected values are computed from the documented
 * block layout element by element, independently of the Dequantizer's loop structure.
 */
class DequantizerTest {
    private static final int HALF_0_5 = 0x3800;
    private static final int HALF_0_25 = 0x3400;
    private static final int HALF_2 = 0x4000;

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void q8_0() throws Exception {
        ByteBuffer b = le(34).putShort((short) HALF_0_5);
        for (int j = 0; j < 32; j++) {
            b.put((byte) (j * 8 - 128)); // -128, -120, ..., 120
        }
        float[] y = Dequantizer.dequantize(GgmlType.Q8_0, b.flip(), 32);
        for (int j = 0; j < 32; j++) {
            assertEquals((j * 8 - 128) * 0.5f, y[j], "element " + j);
        }
        assertEquals(-64f, y[0]);
        assertEquals(60f, y[31]);
    }

    @Test
    void q4_0LowNibblesAreTheFirstHalf() throws Exception {
        ByteBuffer b = le(18).putShort((short) HALF_2);
        for (int j = 0; j < 16; j++) {
            b.put((byte) (j | ((15 - j) << 4)));
        }
        float[] y = Dequantizer.dequantize(GgmlType.Q4_0, b.flip(), 32);
        for (int j = 0; j < 16; j++) {
            assertEquals((j - 8) * 2f, y[j], "low nibble element " + j);
            assertEquals((7 - j) * 2f, y[j + 16], "high nibble element " + (j + 16));
        }
        assertEquals(-16f, y[0]);
        assertEquals(14f, y[16]);
    }

    /** Packs 8 six-bit scales and mins into ggml's 12-byte K_SCALE layout. */
    static byte[] packScales(int[] sc, int[] m) {
        byte[] q = new byte[12];
        for (int j = 0; j < 4; j++) {
            q[j] = (byte) ((sc[j] & 63) | ((sc[j + 4] >> 4) << 6));
            q[j + 4] = (byte) ((m[j] & 63) | ((m[j + 4] >> 4) << 6));
            q[j + 8] = (byte) ((sc[j + 4] & 0xF) | ((m[j + 4] & 0xF) << 4));
        }
        return q;
    }

    private static final int[] SCALES = {1, 63, 17, 40, 5, 33, 62, 48};
    private static final int[] MINS = {0, 7, 63, 21, 50, 16, 3, 59};

    @Test
    void scaleMinK4UnpacksEveryIndex() {
        byte[] q = packScales(SCALES, MINS);
        for (int j = 0; j < 8; j++) {
            int packed = Dequantizer.scaleMinK4(j, q, 0);
            assertEquals(SCALES[j], packed & 0xFF, "scale " + j);
            assertEquals(MINS[j], packed >>> 8, "min " + j);
        }
    }

    @Test
    void q4K() throws Exception {
        ByteBuffer b =
                le(144).putShort((short) HALF_0_5).putShort((short) HALF_0_25).put(packScales(SCALES, MINS));
        byte[] qs = new byte[128];
        for (int i = 0; i < 128; i++) {
            qs[i] = (byte) (i * 37 + 11);
        }
        b.put(qs);
        float[] y = Dequantizer.dequantize(GgmlType.Q4_K, b.flip(), 256);
        for (int e = 0; e < 256; e++) {
            int chunk = e / 64; // 64 elements share 32 bytes: low nibbles first, then high nibbles
            int sub = e / 32; // sub-block index selects scale and min
            int l = e % 32;
            int qByte = qs[chunk * 32 + l] & 0xFF;
            int q = (e % 64) < 32 ? qByte & 0xF : qByte >> 4;
            float expected = 0.5f * SCALES[sub] * q - 0.25f * MINS[sub];
            assertEquals(expected, y[e], "element " + e);
        }
        // element 0: scale 1, min 0, q = 11 & 0xF = 11
        assertEquals(5.5f, y[0]);
    }

    @Test
    void q5K() throws Exception {
        ByteBuffer b =
                le(176).putShort((short) HALF_0_5).putShort((short) HALF_0_25).put(packScales(SCALES, MINS));
        byte[] qh = new byte[32];
        byte[] qs = new byte[128];
        for (int i = 0; i < 32; i++) {
            qh[i] = (byte) (i * 73 + 5);
        }
        for (int i = 0; i < 128; i++) {
            qs[i] = (byte) (i * 29 + 3);
        }
        b.put(qh).put(qs);
        float[] y = Dequantizer.dequantize(GgmlType.Q5_K, b.flip(), 256);
        for (int e = 0; e < 256; e++) {
            int chunk = e / 64;
            int half = (e % 64) / 32;
            int l = e % 32;
            int qByte = qs[chunk * 32 + l] & 0xFF;
            int low = half == 0 ? qByte & 0xF : qByte >> 4;
            int high = ((qh[l] & 0xFF) >> (2 * chunk + half)) & 1; // fifth bit: bit (2*chunk + half) of qh[l]
            int q = low + 16 * high;
            float expected = 0.5f * SCALES[e / 32] * q - 0.25f * MINS[e / 32];
            assertEquals(expected, y[e], "element " + e);
        }
    }

    @Test
    void q6K() throws Exception {
        byte[] ql = new byte[128];
        byte[] qh = new byte[64];
        byte[] sc = new byte[16];
        for (int i = 0; i < 128; i++) {
            ql[i] = (byte) (i * 53 + 7);
        }
        for (int i = 0; i < 64; i++) {
            qh[i] = (byte) (i * 91 + 1);
        }
        for (int i = 0; i < 16; i++) {
            sc[i] = (byte) (i * 17 - 128); // signed scales
        }
        ByteBuffer b = le(210).put(ql).put(qh).put(sc).putShort((short) HALF_0_25);
        float[] y = Dequantizer.dequantize(GgmlType.Q6_K, b.flip(), 256);
        for (int e = 0; e < 256; e++) {
            int n = e / 128; // two halves of 128 elements
            int r = e % 128;
            int quarter = r / 32; // 0: ql low, 1: ql+32 low, 2: ql high, 3: ql+32 high
            int l = r % 32;
            int qlByte = ql[n * 64 + l + (quarter % 2 == 1 ? 32 : 0)] & 0xFF;
            int low = quarter < 2 ? qlByte & 0xF : qlByte >> 4;
            int high = ((qh[n * 32 + l] & 0xFF) >> (2 * quarter)) & 3;
            int q = (low | (high << 4)) - 32;
            int scale = sc[n * 8 + l / 16 + 2 * quarter];
            float expected = 0.25f * scale * q;
            assertEquals(expected, y[e], "element " + e);
        }
    }

    @Test
    void f16AndBf16AndF32() throws Exception {
        ByteBuffer f16 = le(6).putShort((short) 0x3C00).putShort((short) 0x0001).putShort((short) 0xFC00);
        assertArrayEquals(
                new float[] {1f, 0x1p-24f, Float.NEGATIVE_INFINITY},
                Dequantizer.dequantize(GgmlType.F16, f16.flip(), 3));
        ByteBuffer bf16 = le(4).putShort((short) 0x3F80).putShort((short) 0xC040);
        assertArrayEquals(new float[] {1f, -3f}, Dequantizer.dequantize(GgmlType.BF16, bf16.flip(), 2));
        ByteBuffer f32 = le(8).putFloat(1.25f).putFloat(-7f);
        assertArrayEquals(new float[] {1.25f, -7f}, Dequantizer.dequantize(GgmlType.F32, f32.flip(), 2));
    }

    @Test
    void multiBlockTensorsCrossChunkBoundaries() throws Exception {
        float[] values = GgufTestFiles.ramp(256 * 40, 1f); // 10240 elements > one 4096 chunk
        ByteBuffer q8 = Quantizer.quantize(GgmlType.Q8_0, values);
        float[] y = Dequantizer.dequantize(GgmlType.Q8_0, q8, values.length);
        for (int block = 0; block < values.length / 32; block++) {
            ByteBuffer one = q8.duplicate().position(block * 34).limit(block * 34 + 34);
            float[] alone = Dequantizer.dequantize(GgmlType.Q8_0, one.slice(), 32);
            for (int j = 0; j < 32; j++) {
                assertEquals(alone[j], y[block * 32 + j], "element " + (block * 32 + j));
                // rounding error: half a step plus the f16 rounding of the scale
                assertEquals(values[block * 32 + j], y[block * 32 + j], 0.5f / 127 + 1f / 1024, "vs original");
            }
        }
    }

    @Test
    void quantizerMatchesGgmlReferenceBytes() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) {
            x[j] = j - 16;
        }
        ByteBuffer q8 = Quantizer.quantize(GgmlType.Q8_0, x);
        assertEquals(Float16.floatToHalf(16f / 127f), q8.getShort(0));
        assertEquals(-127, q8.get(2)); // round(-16 * 127/16)
        assertEquals(0, q8.get(2 + 16));
        assertEquals(119, q8.get(2 + 31)); // round(119.0625)
        assertEquals(8, q8.get(2 + 17)); // round(7.9375)

        ByteBuffer q4 = Quantizer.quantize(GgmlType.Q4_0, x);
        assertEquals((short) HALF_2, q4.getShort(0)); // d = max / -8 = -16 / -8 = 2
        assertEquals((byte) 0x80, q4.get(2)); // x[0] -> (int)(-8 + 8.5) = 0, x[16] -> (int)(0 + 8.5) = 8
        assertEquals((byte) 0xF8, q4.get(2 + 15)); // x[15] -> (int)(-0.5 + 8.5) = 8, x[31] -> min(15, 16) = 15
    }

    @Test
    void roundHalfAwayFromZeroLikeC() {
        assertEquals(1, Quantizer.roundHalfAwayFromZero(0.5f));
        assertEquals(-1, Quantizer.roundHalfAwayFromZero(-0.5f));
        assertEquals(0, Quantizer.roundHalfAwayFromZero(0.49999997f));
        assertEquals(3, Quantizer.roundHalfAwayFromZero(2.5f));
    }

    @Test
    void unsupportedTypesFailWithTheTensorNameAndTheSupportedList() {
        for (GgmlType type : GgmlType.values()) {
            GgufTensorInfo info =
                    new GgufTensorInfo("blk.0.ffn_up.weight", new long[] {type.blockSize() * 2L}, type, 0);
            ByteBuffer data = ByteBuffer.allocate((int) info.byteSize());
            FloatBuffer out = FloatBuffer.allocate((int) info.elementCount());
            if (type.supportsDequantization()) {
                assertThrowsNothing(info, data, out);
            } else {
                GgufFormatException e =
                        assertThrows(GgufFormatException.class, () -> Dequantizer.dequantize(info, data, out, null));
                assertTrue(
                        e.getMessage()
                                .contains(
                                        "tensor blk.0.ffn_up.weight has type " + type
                                                + ", which Tanrenai cannot dequantize (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q5_K, Q6_K)"),
                        e.getMessage());
                assertEquals("blk.0.ffn_up.weight", e.tensorName());
            }
        }
        assertTrue(GgmlType.Q6_K.supportsDequantization());
        assertFalse(GgmlType.IQ2_XS.supportsDequantization());
    }

    private static void assertThrowsNothing(GgufTensorInfo info, ByteBuffer data, FloatBuffer out) {
        try {
            Dequantizer.dequantize(info, data, out, null);
        } catch (GgufFormatException e) {
            throw new AssertionError(info.type() + " should be supported", e);
        }
        assertEquals(info.elementCount(), out.position());
    }

    @Test
    void ggmlTypeIdsAndSizes() {
        assertEquals(GgmlType.BF16, GgmlType.fromId(30));
        assertEquals(GgmlType.TQ2_0, GgmlType.fromId(35));
        assertEquals(31, GgmlType.values().length);
        for (int removed : new int[] {4, 5, 31, 32, 33, 36, 37, 38, 39, -1, 1000}) {
            assertThrows(IllegalArgumentException.class, () -> GgmlType.fromId(removed), "id " + removed);
        }
        assertEquals(144, GgmlType.Q4_K.typeSize());
        assertEquals(176, GgmlType.Q5_K.typeSize());
        assertEquals(210, GgmlType.Q6_K.typeSize());
        assertEquals(34L * 2, GgmlType.Q8_0.byteSize(64));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.Q8_0.byteSize(33));
    }
}
