package dev.tanrenai.models.validate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import dev.tanrenai.models.gguf.GgufWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scale fields {@link FiniteScan} reads in quantized blocks are the ones the project's {@code
 * Dequantizer} (checked against llama.cpp on a real model) multiplies by: a NaN written there makes
 * the dequantized block NaN, and the scan refuses it; random blocks with finite scales pass.
 */
class FiniteScanTest {
    private static final short HALF_NAN = 0x7e00;
    private static final short HALF_ONE = 0x3c00;

    @TempDir
    Path dir;

    /** Byte offsets of the F16 scale fields per type, written out from ggml-common.h's structs. */
    private static int[] scaleOffsets(GgmlType type) {
        return switch (type) {
            case Q8_0, Q4_0 -> new int[] {0};
            case Q4_K, Q5_K -> new int[] {0, 2};
            case Q6_K -> new int[] {208};
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    @ParameterizedTest
    @EnumSource(
            value = GgmlType.class,
            names = {"Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K"})
    void aNonFiniteScaleIsFoundWhereTheDequantizerReadsIt(GgmlType type) throws IOException {
        int blocks = 4;
        Random random = new Random(7);
        byte[] bytes = new byte[blocks * type.typeSize()];
        random.nextBytes(bytes);
        ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < blocks; b++) {
            for (int offset : scaleOffsets(type)) {
                data.putShort(b * type.typeSize() + offset, HALF_ONE);
            }
        }
        Path good = dir.resolve("good-" + type + ".gguf");
        write(good, type, blocks, bytes);
        try (GgufFile f = GgufFile.open(good)) {
            GgufTensorInfo t = f.tensor("w");
            FiniteScan.scan(f, t, new MetadataReader(good, f.metadata()));
            for (float v : f.dequantize("w")) {
                assertTrue(Float.isFinite(v));
            }
        }
        for (int offset : scaleOffsets(type)) {
            byte[] broken = bytes.clone();
            ByteBuffer.wrap(broken).order(ByteOrder.LITTLE_ENDIAN).putShort(2 * type.typeSize() + offset, HALF_NAN);
            Path bad = dir.resolve("bad-" + type + "-" + offset + ".gguf");
            write(bad, type, blocks, broken);
            try (GgufFile f = GgufFile.open(bad)) {
                boolean anyNaN = false;
                for (float v : f.dequantize("w")) {
                    anyNaN |= Float.isNaN(v);
                }
                assertTrue(anyNaN, "the dequantizer uses the field at byte " + offset + " of a " + type + " block");
                GgufTensorInfo t = f.tensor("w");
                ModelValidationException e = assertThrows(
                        ModelValidationException.class,
                        () -> FiniteScan.scan(f, t, new MetadataReader(bad, f.metadata())));
                assertTrue(e.getMessage().contains(type + " block 2"), e.getMessage());
            }
        }
        assertFalse(FiniteScan.checks(GgmlType.IQ1_M), "IQ1_M has no float scale and is stated unchecked");
    }

    private static void write(Path file, GgmlType type, int blocks, byte[] bytes) throws IOException {
        new GgufWriter()
                .addTensor("w", new long[] {(long) blocks * type.blockSize()}, type, ByteBuffer.wrap(bytes))
                .write(file);
    }
}
