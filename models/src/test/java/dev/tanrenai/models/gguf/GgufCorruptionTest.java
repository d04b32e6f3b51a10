package dev.tanrenai.models.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken files of every kind must fail with a {@link GgufFormatException} naming the problem, the
 * byte offset and the file; never with an underflow, a huge allocation or a crash.
 */
class GgufCorruptionTest {
    @TempDir
    Path dir;

    private GgufFormatException rejected(byte[] bytes, String expectedMessagePart, long expectedOffset)
            throws IOException {
        Path file = Files.write(dir.resolve("bad.gguf"), bytes);
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> {
            GgufFile.open(file).close();
            fail("opened a broken file");
        });
        assertTrue(
                e.getMessage().contains(expectedMessagePart),
                "message '" + e.getMessage() + "' lacks '" + expectedMessagePart + "'");
        assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
        if (expectedOffset >= 0) {
            assertEquals(expectedOffset, e.offset(), e.getMessage());
            assertTrue(e.getMessage().contains("byte offset " + expectedOffset), e.getMessage());
        }
        return e;
    }

    @Test
    void everyTruncationFailsCleanly() throws IOException {
        byte[] valid = Files.readAllBytes(GgufTestFiles.writeEverything(dir));
        long dataEnd;
        try (GgufFile gguf = GgufFile.open(dir.resolve("everything.gguf"))) {
            GgufTensorInfo last = gguf.tensors().get(gguf.tensors().size() - 1);
            dataEnd = gguf.dataOffset() + last.offset() + last.byteSize();
        }
        Path cut = dir.resolve("cut.gguf");
        for (int length = 0; length < valid.length; length++) {
            Files.write(cut, Arrays.copyOf(valid, length));
            if (length >= dataEnd) {
                try (GgufFile gguf = GgufFile.open(cut)) {
                    assertEquals(7, gguf.tensors().size(), "only trailing padding was cut at " + length);
                }
                continue;
            }
            try {
                GgufFile.open(cut).close();
                fail("a file cut to " + length + " of " + valid.length + " bytes was accepted");
            } catch (GgufFormatException e) {
                assertTrue(e.getMessage().contains("truncated"), "cut at " + length + ": " + e.getMessage());
                assertTrue(
                        e.offset() >= 0 && e.offset() <= Math.max(length, dataEnd),
                        "cut at " + length + ": offset " + e.offset());
            }
        }
    }

    @Test
    void emptyFile() throws IOException {
        rejected(new byte[0], "file truncated: magic needs 4 bytes but only 0 remain", 0);
    }

    @Test
    void badMagic() throws IOException {
        byte[] bytes = RawGguf.header(3, 0, 0).bytes();
        bytes[3] = 'X';
        rejected(bytes, "bad magic 0x58554747", 0);
    }

    @Test
    void versionOneAndUnknownVersions() throws IOException {
        rejected(RawGguf.header(1, 0, 0).bytes(), "GGUF version 1 is not supported", 4);
        rejected(RawGguf.header(99, 0, 0).bytes(), "unsupported GGUF version 99", 4);
        rejected(RawGguf.header(0x0300_0000L, 0, 0).bytes(), "big-endian", 4);
    }

    @Test
    void versionTwoIsRead() throws IOException {
        Path file = RawGguf.header(2, 0, 1)
                .kvString("general.architecture", "llama")
                .write(dir.resolve("v2.gguf"));
        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals(2, gguf.version());
            assertEquals("llama", gguf.metadata().getString("general.architecture"));
        }
    }

    @Test
    void unknownValueType() throws IOException {
        RawGguf raw = RawGguf.header(3, 0, 1).str("some.key");
        int typeAt = raw.position();
        rejected(raw.u32(13).u32(0).bytes(), "metadata key some.key: unknown value type id 13", typeAt);
    }

    @Test
    void hugeStringLength() throws IOException {
        byte[] bytes = RawGguf.header(3, 0, 1).u64(1L << 60).raw(new byte[20]).bytes();
        rejected(bytes, "metadata key #0 claims 1152921504606846976 bytes", 24);
        byte[] negative = RawGguf.header(3, 0, 1).u64(-1L).raw(new byte[20]).bytes();
        rejected(negative, "claims 18446744073709551615 bytes", 24);
    }

    @Test
    void hugeArrayLength() throws IOException {
        RawGguf raw = RawGguf.header(3, 0, 1)
                .str("tokens")
                .u32(GgufValueType.ARRAY.id())
                .u32(GgufValueType.STRING.id());
        int countAt = raw.position();
        rejected(
                raw.u64(1L << 62).zeros(16).bytes(),
                "array tokens claims 4611686018427387904 elements of STRING",
                countAt);
    }

    @Test
    void hugeCounts() throws IOException {
        rejected(RawGguf.header(3, 1L << 40, 0).bytes(), "tensor count 1099511627776 cannot fit", 8);
        rejected(RawGguf.header(3, 0, -1L).bytes(), "metadata count 18446744073709551615 cannot fit", 16);
    }

    @Test
    void duplicateMetadataKey() throws IOException {
        RawGguf raw = RawGguf.header(3, 0, 2).kvU32("a.b", 1);
        int second = raw.position();
        rejected(raw.kvU32("a.b", 2).bytes(), "duplicate metadata key a.b", second);
    }

    @Test
    void badBoolAndBadUtf8AndDeepNesting() throws IOException {
        RawGguf bool = RawGguf.header(3, 0, 1).str("flag").u32(GgufValueType.BOOL.id());
        int boolAt = bool.position();
        rejected(bool.u8(2).bytes(), "value of flag is a BOOL with byte value 2", boolAt);

        RawGguf utf = RawGguf.header(3, 0, 1).str("name").u32(GgufValueType.STRING.id());
        int stringAt = utf.position();
        rejected(utf.u64(2).u8(0xC3).u8(0x28).bytes(), "value of name is not valid UTF-8", stringAt);

        RawGguf deep = RawGguf.header(3, 0, 1).str("deep").u32(GgufValueType.ARRAY.id());
        for (int i = 0; i < 9; i++) {
            deep.u32(GgufValueType.ARRAY.id()).u64(1);
        }
        rejected(deep.u32(GgufValueType.UINT8.id()).u64(0).bytes(), "nests arrays deeper than 8", -1);
    }

    @Test
    void badAlignment() throws IOException {
        rejected(
                RawGguf.header(3, 0, 1).kvU32("general.alignment", 48).bytes(),
                "general.alignment 48 is not a power of two",
                -1);
        byte[] wrongType =
                RawGguf.header(3, 0, 1).kvString("general.alignment", "32").bytes();
        rejected(wrongType, "general.alignment has type STRING, expected UINT32", -1);
    }

    @Test
    void unknownGgmlType() throws IOException {
        RawGguf raw = RawGguf.header(3, 1, 0).str("w").u32(1).u64(32);
        int typeAt = raw.position();
        GgufFormatException e =
                rejected(raw.u32(31).u64(0).pad(32).zeros(64).bytes(), "unknown ggml type id 31", typeAt);
        assertEquals("w", e.tensorName());
        assertTrue(e.getMessage().contains("[tensor w]"), e.getMessage());
    }

    @Test
    void badShapes() throws IOException {
        RawGguf fiveDims = RawGguf.header(3, 1, 0).str("w");
        int dimsAt = fiveDims.position();
        rejected(fiveDims.u32(5).zeros(64).bytes(), "tensor has 5 dimensions, expected 1..4", dimsAt);

        RawGguf zero = RawGguf.header(3, 1, 0).str("w").u32(2).u64(4);
        int neAt = zero.position();
        rejected(zero.u64(0).u32(0).u64(0).pad(32).bytes(), "ne[1] = 0 is not a positive size", neAt);

        RawGguf negative = RawGguf.header(3, 1, 0).str("w").u32(1);
        rejected(negative.u64(-2L).u32(0).u64(0).bytes(), "ne[0] = 18446744073709551614 is not a positive size", 37);

        byte[] overflow = RawGguf.header(3, 1, 0)
                .tensor("w", new long[] {1L << 40, 1L << 40}, 0, 0)
                .pad(32)
                .zeros(64)
                .bytes();
        rejected(overflow, "overflows the element count", 24);

        byte[] notBlocks = RawGguf.header(3, 1, 0)
                .tensor("q", new long[] {16, 2}, GgmlType.Q8_0.id(), 0)
                .pad(32)
                .zeros(128)
                .bytes();
        rejected(notBlocks, "ne[0] = 16, not a multiple of the Q8_0 block size 32", 24);
    }

    private static RawGguf twoTensors(long offsetA, long offsetB, String nameB, int dataBytes) {
        return RawGguf.header(3, 2, 0)
                .tensor("a", new long[] {8}, GgmlType.F32.id(), offsetA)
                .tensor(nameB, new long[] {8}, GgmlType.F32.id(), offsetB)
                .pad(32)
                .zeros(dataBytes);
    }

    @Test
    void tensorPlacement() throws IOException {
        RawGguf ok = twoTensors(0, 32, "b", 64);
        int dataOffset = ok.position() - 64;
        try (GgufFile gguf = GgufFile.open(ok.write(dir.resolve("ok.gguf")))) {
            assertEquals(dataOffset, gguf.dataOffset());
        }
        GgufFormatException past =
                rejected(twoTensors(0, 64, "b", 64).bytes(), "runs past the end of the data section", dataOffset + 64);
        assertEquals("b", past.tensorName());
        rejected(twoTensors(0, 1L << 62, "b", 64).bytes(), "runs past the end", dataOffset + (1L << 62));
        rejected(
                twoTensors(0, 36, "b", 96).bytes(),
                "tensor data offset 36 is not a multiple of the alignment 32",
                dataOffset + 36);
        GgufFormatException overlap = rejected(twoTensors(0, 0, "b", 64).bytes(), "overlaps tensor a", dataOffset);
        assertEquals("b", overlap.tensorName());
        rejected(twoTensors(0, 32, "a", 64).bytes(), "duplicate tensor name a", -1);
        rejected(twoTensors(0, -8, "b", 64).bytes(), "data offset 18446744073709551608 is past the end", -1);
    }

    @Test
    void dataSectionMissingEntirely() throws IOException {
        byte[] noData = RawGguf.header(3, 1, 0)
                .tensor("a", new long[] {8}, GgmlType.F32.id(), 0)
                .bytes();
        rejected(noData, "truncated", -1);
    }
}
