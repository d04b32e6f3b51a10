package dev.tanrenai.models.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Float16Test {

    @Test
    void knownHalfValues() {
        assertEquals(1.0f, Float16.halfToFloat(0x3C00));
        assertEquals(-2.0f, Float16.halfToFloat(0xC000));
        assertEquals(65504f, Float16.halfToFloat(0x7BFF));
        assertEquals(0x1p-24f, Float16.halfToFloat(0x0001)); // smallest subnormal
        assertEquals(0x1p-14f - 0x1p-24f, Float16.halfToFloat(0x03FF)); // largest subnormal
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Float16.halfToFloat(0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, Float16.halfToFloat(0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.halfToFloat(0xFC00));
        assertTrue(Float.isNaN(Float16.halfToFloat(0x7E00)));
    }

    @Test
    void everyHalfRoundTripsExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Float16.halfToFloat(h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Float16.halfToFloat(Float16.floatToHalf(f))), "NaN stays NaN: " + h);
            } else {
                assertEquals(h, Float16.floatToHalf(f) & 0xFFFF, "half bits " + Integer.toHexString(h));
            }
        }
    }

    @Test
    void floatToHalfRoundsToNearestEven() {
        assertEquals(0x3C00, Float16.floatToHalf(1f + 0x1p-11f) & 0xFFFF); // tie -> even (down)
        assertEquals(0x3C02, Float16.floatToHalf(1f + 3 * 0x1p-11f) & 0xFFFF); // tie -> even (up)
        assertEquals(0x3C01, Float16.floatToHalf(1f + 0x1p-11f + 0x1p-20f) & 0xFFFF); // above tie
        assertEquals(0x7BFF, Float16.floatToHalf(65519f) & 0xFFFF);
        assertEquals(0x7C00, Float16.floatToHalf(65520f) & 0xFFFF); // tie between max and 2^16 -> inf
        assertEquals(0x0000, Float16.floatToHalf(0x1p-25f) & 0xFFFF); // tie with 0 -> even 0
        assertEquals(0x0001, Float16.floatToHalf(0x1p-25f * 1.0001f) & 0xFFFF);
        assertEquals(0x0002, Float16.floatToHalf(0x1p-24f * 1.5f) & 0xFFFF); // subnormal tie -> even
        assertEquals(0x0400, Float16.floatToHalf(0x1p-14f - 0x1p-26f) & 0xFFFF); // rounds up into normals
        assertEquals(0x8000, Float16.floatToHalf(-1e-10f) & 0xFFFF);
        assertEquals(0xFC00, Float16.floatToHalf(Float.NEGATIVE_INFINITY) & 0xFFFF);
        assertEquals(0x7C00, Float16.floatToHalf(1e10f) & 0xFFFF);
    }

    @Test
    void bfloat16() {
        assertEquals(1.0f, Float16.bf16ToFloat(0x3F80));
        assertEquals(0x3F80, Float16.floatToBf16(1.0f) & 0xFFFF);
        assertEquals(0x3F80, Float16.floatToBf16(Float.intBitsToFloat(0x3F80_8000)) & 0xFFFF); // tie -> even
        assertEquals(0x3F82, Float16.floatToBf16(Float.intBitsToFloat(0x3F81_8000)) & 0xFFFF); // tie -> even
        assertEquals(0x3F81, Float16.floatToBf16(Float.intBitsToFloat(0x3F80_8001)) & 0xFFFF);
        assertEquals(0x0001, Float16.floatToBf16(Float.intBitsToFloat(0x0000_FFFF)) & 0xFFFF); // subnormal
        assertEquals(0x7F80, Float16.floatToBf16(Float.POSITIVE_INFINITY) & 0xFFFF);
        assertTrue(Float.isNaN(Float16.bf16ToFloat(Float16.floatToBf16(Float.NaN))));
        assertTrue(Float.isNaN(Float16.bf16ToFloat(Float16.floatToBf16(Float.intBitsToFloat(0x7F80_0001)))));
        for (int b = 0; b < 0x10000; b++) {
            float f = Float16.bf16ToFloat(b);
            if (!Float.isNaN(f)) {
                assertEquals(b, Float16.floatToBf16(f) & 0xFFFF);
            }
        }
    }
}
