package dev.tanrenai.models.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes files with every value and writable tensor type, reads them back and compares. */
class GgufRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void everyMetadataTypeRoundTrips() throws IOException {
        GgufWriter writer = GgufTestFiles.everything(GgufWriter.DEFAULT_ALIGNMENT);
        Path file = dir.resolve("all.gguf");
        writer.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals(3, gguf.version());
            GgufMetadata md = gguf.metadata();
            assertEquals("llama", md.getString("general.architecture"));
            assertEquals(255, md.getInt("t.u8"));
            assertEquals(-128, md.getInt("t.i8"));
            assertEquals(65535, md.getInt("t.u16"));
            assertEquals(-32768, md.getInt("t.i16"));
            assertEquals(0xFFFF_FFFFL, md.getLong("t.u32"));
            assertEquals(Integer.MIN_VALUE, md.getInt("t.i32"));
            assertEquals(-1L, (Long) md.get("t.u64").value());
            assertEquals("18446744073709551615", md.get("t.u64").render());
            assertEquals(Long.MIN_VALUE, md.getLong("t.i64"));
            assertEquals(-1.5e-7f, md.getFloat("t.f32"));
            assertEquals(Math.PI, md.getDouble("t.f64"));
            assertTrue(md.getBool("t.bool.true"));
            assertFalse(md.getBool("t.bool.false"));
            assertEquals("héllo ▁wörld \n\u0000 🦙", md.getString("t.string"));
            assertEquals("", md.getString("t.empty"));
            assertEquals(List.of("a", "", "▁the"), md.getStringArray("t.strings"));
            assertArrayEquals(new float[] {1f, -0f, Float.MAX_VALUE}, md.getFloatArray("t.floats"));
            assertArrayEquals(new int[] {1, -2, 3}, md.getIntArray("t.ints"));
            assertEquals(List.of(true, false), md.getArray("t.bools").elements());
            assertEquals(List.of(0L, -1L), md.getArray("t.u64s").elements());
            assertEquals(List.of(1.25, -2.5), md.getArray("t.f64s").elements());
            assertEquals(0, md.getArray("t.empty_array").size());
            GgufArray nested = md.getArray("t.nested");
            assertEquals(GgufValueType.ARRAY, nested.elementType());
            assertArrayEquals(new int[] {1, 2}, ((GgufArray) nested.elements().get(0)).asInts());
            assertArrayEquals(new int[] {}, ((GgufArray) nested.elements().get(1)).asInts());
            GgufArray deep =
                    (GgufArray) ((GgufArray) md.getArray("t.nested2").elements().get(0))
                            .elements()
                            .get(0);
            assertEquals(List.of("deep"), deep.asStrings());
            // entries come back in the order they were put
            assertEquals(
                    List.of(
                            "general.architecture",
                            "t.u8",
                            "t.i8",
                            "t.u16",
                            "t.i16",
                            "t.u32",
                            "t.i32",
                            "t.u64",
                            "t.i64",
                            "t.f32",
                            "t.f64",
                            "t.bool.true",
                            "t.bool.false",
                            "t.string",
                            "t.empty",
                            "t.strings",
                            "t.floats",
                            "t.ints",
                            "t.bools",
                            "t.u64s",
                            "t.f64s",
                            "t.empty_array",
                            "t.nested",
                            "t.nested2"),
                    List.copyOf(md.keys()));
        }
    }

    @Test
    void typedGettersNameKeyAndActualType() throws IOException {
        Path file = GgufTestFiles.writeEverything(dir);
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadata md = gguf.metadata();
            GgufMetadataException e = assertThrows(GgufMetadataException.class, () -> md.getInt("t.string"));
            assertEquals("t.string", e.key());
            assertTrue(e.getMessage().contains("has type STRING"), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(assertThrows(GgufMetadataException.class, () -> md.getString("no.such.key"))
                    .getMessage()
                    .contains("no.such.key is missing"));
            assertTrue(assertThrows(GgufMetadataException.class, () -> md.getInt("t.u32"))
                    .getMessage()
                    .contains("does not fit an int"));
            assertTrue(assertThrows(GgufMetadataException.class, () -> md.getLong("t.u64"))
                    .getMessage()
                    .contains("18446744073709551615"));
            assertTrue(assertThrows(GgufMetadataException.class, () -> md.getStringArray("t.ints"))
                    .getMessage()
                    .contains("array of INT32"));
            assertTrue(md.optionalString("absent").isEmpty());
            assertEquals(255, md.optionalInt("t.u8").getAsInt());
            assertThrows(GgufMetadataException.class, () -> md.optionalFloat("t.string"));
        }
    }

    @Test
    void tensorsRoundTripWithShapesOffsetsAndValues() throws IOException {
        Path file = GgufTestFiles.writeEverything(dir);
        try (GgufFile gguf = GgufFile.open(file)) {
            List<String> names =
                    gguf.tensors().stream().map(GgufTensorInfo::name).toList();
            assertEquals(List.of("f32", "f16", "bf16", "q8_0", "q4_0", "q6_k_raw", "i32_raw"), names);
            assertEquals(0, gguf.dataOffset() % 32);
            for (GgufTensorInfo t : gguf.tensors()) {
                assertEquals(0, t.offset() % 32, t.name());
                assertEquals(t.byteSize(), gguf.rawData(t).remaining(), t.name());
            }
            assertArrayEquals(new long[] {32, 1, 1, 2}, gguf.tensor("q4_0").shape());
            assertArrayEquals(GgufTestFiles.ramp(24, 2f), gguf.dequantize("f32"));
            assertArrayEquals(roundTrip(GgmlType.F16, GgufTestFiles.ramp(5, 3f)), gguf.dequantize("f16"));
            assertArrayEquals(roundTrip(GgmlType.BF16, GgufTestFiles.ramp(6, 100f)), gguf.dequantize("bf16"));
            float[] q8 = gguf.dequantize("q8_0");
            float[] original = GgufTestFiles.ramp(128, 1f);
            for (int i = 0; i < q8.length; i++) {
                assertEquals(original[i], q8[i], 1f / 127 * 0.51f + 1e-3f, "q8_0[" + i + "]");
            }
            float[] q4 = gguf.dequantize("q4_0");
            float[] original4 = GgufTestFiles.ramp(64, 0.5f);
            for (int i = 0; i < q4.length; i++) {
                // one side is clamped at 7 * d, so the error reaches amax / 8 there (as in ggml)
                assertEquals(original4[i], q4[i], 0.5f / 8 + 1e-3f, "q4_0[" + i + "]");
            }
            ByteBuffer q6 = gguf.rawData(gguf.tensor("q6_k_raw"));
            for (int i = 0; i < 210; i++) {
                assertEquals((byte) (i * 7), q6.get(i));
            }
            assertEquals(-1, gguf.rawData(gguf.tensor("i32_raw")).getInt(4));
            FloatBuffer big = FloatBuffer.allocate(300);
            big.position(10);
            gguf.dequantize("f32", big);
            assertEquals(34, big.position());
            assertEquals(GgufTestFiles.ramp(24, 2f)[23], big.get(33));
        }
    }

    private static float[] roundTrip(GgmlType type, float[] values) throws IOException {
        return Dequantizer.dequantize(type, Quantizer.quantize(type, values), values.length);
    }

    @Test
    void sameInputGivesIdenticalBytesAndCustomAlignmentIsHonoured() throws IOException {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        GgufTestFiles.everything(64).write(a);
        GgufTestFiles.everything(64).write(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        try (GgufFile gguf = GgufFile.open(a)) {
            assertEquals(64, gguf.alignment());
            assertEquals(64, gguf.metadata().getInt("general.alignment"));
            assertEquals("general.alignment", gguf.metadata().keys().iterator().next());
            assertEquals(0, gguf.dataOffset() % 64);
            gguf.tensors().forEach(t -> assertEquals(0, t.offset() % 64, t.name()));
        }
        try (var stream = Files.list(dir)) {
            assertEquals(
                    List.of("a.gguf", "b.gguf"),
                    stream.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files are left behind");
        }
    }

    @Test
    void perTensorMappingGivesTheSameData() throws IOException {
        Path file = GgufTestFiles.writeEverything(dir);
        try (GgufFile whole = GgufFile.open(file);
                GgufFile perTensor = GgufFile.open(file, 0)) {
            for (GgufTensorInfo t : whole.tensors()) {
                assertEquals(whole.rawData(t), perTensor.rawData(perTensor.tensor(t.name())), t.name());
            }
            assertArrayEquals(whole.dequantize("q8_0"), perTensor.dequantize("q8_0"));
        }
    }

    @Test
    void closedFileRefusesData() throws IOException {
        Path file = GgufTestFiles.writeEverything(dir);
        GgufFile gguf = GgufFile.open(file);
        GgufTensorInfo t = gguf.tensor("f32");
        gguf.close();
        assertThrows(IllegalStateException.class, () -> gguf.rawData(t));
    }

    @Test
    void writerRejectsBadInput() {
        GgufWriter w = new GgufWriter();
        w.putString("k", "v");
        assertThrows(IllegalArgumentException.class, () -> w.putString("k", "again"));
        assertThrows(IllegalArgumentException.class, () -> w.putUint8("u8", 256));
        assertThrows(IllegalArgumentException.class, () -> w.putUint32("u32", -1));
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter(48));
        assertThrows(IllegalArgumentException.class, () -> w.putUint32("general.alignment", 64));
        assertThrows(
                IllegalArgumentException.class, () -> w.addTensor("q", new long[] {16}, GgmlType.Q8_0, new float[16]));
        assertThrows(
                IllegalArgumentException.class,
                () -> w.addTensor("short", new long[] {4}, GgmlType.F32, ByteBuffer.allocate(12)));
        assertThrows(IllegalArgumentException.class, () -> w.addF32("zero", new long[] {0}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> w.addF32("5d", new long[] {1, 1, 1, 1, 1}, new float[1]));
        w.addF32("t", new long[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class, () -> w.addF32("t", new long[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> new GgufArray(GgufValueType.INT32, List.of(1L, "two")));
    }
}
