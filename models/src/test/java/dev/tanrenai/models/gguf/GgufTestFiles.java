package dev.tanrenai.models.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/** Builders of small GGUF files shared by the reader tests. */
final class GgufTestFiles {
    private GgufTestFiles() {}

    static float[] ramp(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(i * 0.37 + 0.1) * scale;
        }
        return v;
    }

    /** A writer holding one value of every metadata type, nested arrays and several tensor types. */
    static GgufWriter everything(int alignment) {
        GgufWriter w = new GgufWriter(alignment);
        w.putString("general.architecture", "llama");
        w.putUint8("t.u8", 255);
        w.putInt8("t.i8", -128);
        w.putUint16("t.u16", 65535);
        w.putInt16("t.i16", -32768);
        w.putUint32("t.u32", 0xFFFF_FFFFL);
        w.putInt32("t.i32", Integer.MIN_VALUE);
        w.putUint64("t.u64", -1L); // 2^64 - 1
        w.putInt64("t.i64", Long.MIN_VALUE);
        w.putFloat32("t.f32", -1.5e-7f);
        w.putFloat64("t.f64", Math.PI);
        w.putBool("t.bool.true", true);
        w.putBool("t.bool.false", false);
        w.putString("t.string", "héllo ▁wörld \n\u0000 🦙");
        w.putString("t.empty", "");
        w.putStringArray("t.strings", List.of("a", "", "▁the"));
        w.putFloat32Array("t.floats", new float[] {1f, -0f, Float.MAX_VALUE});
        w.putInt32Array("t.ints", new int[] {1, -2, 3});
        w.putArray("t.bools", new GgufArray(GgufValueType.BOOL, List.of(true, false)));
        w.putArray("t.u64s", new GgufArray(GgufValueType.UINT64, List.of(0L, -1L)));
        w.putArray("t.f64s", new GgufArray(GgufValueType.FLOAT64, List.of(1.25, -2.5)));
        w.putArray("t.empty_array", new GgufArray(GgufValueType.INT8, List.of()));
        w.putArray(
                "t.nested",
                new GgufArray(
                        GgufValueType.ARRAY,
                        List.of(
                                GgufArray.ofInt32(new int[] {1, 2}),
                                GgufArray.ofInt32(new int[] {}),
                                GgufArray.ofInt32(new int[] {3}))));
        w.putArray(
                "t.nested2",
                new GgufArray(
                        GgufValueType.ARRAY,
                        List.of(new GgufArray(GgufValueType.ARRAY, List.of(GgufArray.ofStrings(List.of("deep")))))));
        w.addF32("f32", new long[] {8, 3}, ramp(24, 2f));
        w.addTensor("f16", new long[] {5}, GgmlType.F16, ramp(5, 3f));
        w.addTensor("bf16", new long[] {3, 2}, GgmlType.BF16, ramp(6, 100f));
        w.addTensor("q8_0", new long[] {64, 2}, GgmlType.Q8_0, ramp(128, 1f));
        w.addTensor("q4_0", new long[] {32, 1, 1, 2}, GgmlType.Q4_0, ramp(64, 0.5f));
        ByteBuffer q6k = ByteBuffer.allocate(210);
        for (int i = 0; i < 210; i++) {
            q6k.put((byte) (i * 7));
        }
        w.addTensor("q6_k_raw", new long[] {256}, GgmlType.Q6_K, q6k.flip());
        ByteBuffer i32 = ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(1)
                .putInt(-1)
                .putInt(7);
        w.addTensor("i32_raw", new long[] {3}, GgmlType.I32, i32.flip());
        return w;
    }

    static Path writeEverything(Path dir) throws IOException {
        Path file = dir.resolve("everything.gguf");
        everything(GgufWriter.DEFAULT_ALIGNMENT).write(file);
        return file;
    }
}
