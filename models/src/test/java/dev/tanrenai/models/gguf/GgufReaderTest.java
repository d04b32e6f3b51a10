package dev.tanrenai.models.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader against files built byte by byte (independently of GgufWriter), and the writer's exact bytes. */
class GgufReaderTest {
    @TempDir
    Path dir;

    /** A v3 file with two metadata entries and one F32 tensor [2, 2], built by hand. */
    private static RawGguf handBuilt() {
        return RawGguf.header(3, 1, 3)
                .kvString("general.architecture", "llama")
                .kvU32("llama.block_count", 5)
                .str("nested")
                .u32(GgufValueType.ARRAY.id())
                .u32(GgufValueType.ARRAY.id())
                .u64(2)
                .u32(GgufValueType.INT16.id())
                .u64(2)
                .raw(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x02, 0x00}) // -1, 2
                .u32(GgufValueType.FLOAT32.id())
                .u64(1)
                .f32(0.5f)
                .tensor("w", new long[] {2, 2}, GgmlType.F32.id(), 0)
                .pad(32)
                .f32(1f)
                .f32(2f)
                .f32(3f)
                .f32(-4f);
    }

    @Test
    void readsHandBuiltFile() throws IOException {
        RawGguf raw = handBuilt();
        Path file = raw.write(dir.resolve("hand.gguf"));
        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals(3, gguf.version());
            assertEquals(
                    List.of("general.architecture", "llama.block_count", "nested"),
                    List.copyOf(gguf.metadata().keys()));
            assertEquals(5, gguf.metadata().getInt("llama.block_count"));
            GgufArray nested = gguf.metadata().getArray("nested");
            GgufArray first = (GgufArray) nested.elements().get(0);
            assertEquals(GgufValueType.INT16, first.elementType());
            assertEquals(List.of(-1L, 2L), first.elements());
            assertEquals(List.of(0.5f), ((GgufArray) nested.elements().get(1)).elements());
            GgufTensorInfo w = gguf.tensor("w");
            assertEquals(new GgufTensorInfo("w", new long[] {2, 2}, GgmlType.F32, 0), w);
            assertEquals(4, w.elementCount());
            assertEquals(16, w.byteSize());
            assertEquals(raw.bytes().length - 16, gguf.dataOffset());
            assertArrayEquals(new float[] {1f, 2f, 3f, -4f}, gguf.dequantize("w"));
            assertThrows(IllegalArgumentException.class, () -> gguf.tensor("missing"));
        }
    }

    @Test
    void writerProducesExactlyTheSpecifiedBytes() throws IOException {
        GgufWriter writer = new GgufWriter();
        writer.putString("general.architecture", "llama");
        writer.putUint32("llama.block_count", 5);
        writer.putArray(
                "nested",
                new GgufArray(
                        GgufValueType.ARRAY,
                        List.of(
                                new GgufArray(GgufValueType.INT16, List.of(-1L, 2L)),
                                new GgufArray(GgufValueType.FLOAT32, List.of(0.5f)))));
        writer.addF32("w", new long[] {2, 2}, new float[] {1f, 2f, 3f, -4f});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.writeTo(out);
        byte[] expected = handBuilt().pad(32).bytes(); // the writer also pads the last tensor to the alignment
        assertArrayEquals(expected, out.toByteArray());
    }

    @Test
    void tensorInfoValidatesItself() {
        assertThrows(IllegalArgumentException.class, () -> new GgufTensorInfo("", new long[] {1}, GgmlType.F32, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new GgufTensorInfo("x".repeat(64), new long[] {1}, GgmlType.F32, 0));
        assertThrows(IllegalArgumentException.class, () -> new GgufTensorInfo("t", new long[] {}, GgmlType.F32, 0));
        assertThrows(IllegalArgumentException.class, () -> new GgufTensorInfo("t", new long[] {-1}, GgmlType.F32, 0));
        assertThrows(IllegalArgumentException.class, () -> new GgufTensorInfo("t", new long[] {1}, GgmlType.F32, -32));
        assertThrows(
                IllegalArgumentException.class,
                () -> new GgufTensorInfo("t", new long[] {Long.MAX_VALUE / 2, 4}, GgmlType.F32, 0));
        long[] shape = {256, 3};
        GgufTensorInfo t = new GgufTensorInfo("t", shape, GgmlType.Q6_K, 64);
        shape[0] = 1;
        assertEquals(256, t.shape()[0], "the record keeps its own copy of the shape");
        assertEquals(3 * 210, t.byteSize());
        assertEquals(768, t.elementCount());
        assertEquals(3, t.dim(1));
        assertEquals(1, t.dim(3));
    }
}
