package dev.tanrenai.models.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory estimate against numbers worked out by hand. */
class MemoryEstimateTest {

    @TempDir
    Path dir;

    /** Two tensors: F32 [64, 10] = 640 x 4 = 2560 bytes; F16 [8, 8] = 64 x 2 = 128 bytes; 2688 in all. */
    private GgufWriter twoTensors() {
        return new GgufWriter()
                .addF32("a.weight", new long[] {64, 10}, new float[640])
                .addTensor("b.weight", new long[] {8, 8}, GgmlType.F16, new float[64]);
    }

    @Test
    void llama3EightBShapeAtFourThousandTokensHasTheKnown512MiBCache() throws Exception {
        // Llama 3 8B: 32 layers, 4096 wide, 32 heads (head size 4096 / 32 = 128), 8 KV heads.
        // KV at 4096 tokens in f16: 32 layers x 4096 tokens x 8 heads x (128 + 128) x 2 bytes
        //   = 32 x 4096 x 8 x 256 x 2 = 536,870,912 bytes = 512 MiB.
        Path file = dir.resolve("llama.gguf");
        twoTensors()
                .putString("general.architecture", "llama")
                .putUint32("llama.block_count", 32)
                .putUint32("llama.embedding_length", 4096)
                .putUint32("llama.attention.head_count", 32)
                .putUint32("llama.attention.head_count_kv", 8)
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            MemoryEstimate e = MemoryEstimate.of(gguf, 4096);
            assertEquals(2688, e.weightBytes());
            assertEquals(536_870_912L, e.kvCacheBytes());
            assertEquals(536_873_600L, e.totalBytes());
            assertEquals(128, e.keyLength());
            assertEquals(8, e.kvHeads());
            // half the context, half the cache: 268,435,456
            assertEquals(268_435_456L, MemoryEstimate.of(gguf, 2048).kvCacheBytes());
        }
    }

    @Test
    void declaredHeadSizesAndMissingKvHeadsAreHonoured() throws Exception {
        // No head_count_kv: every head has its own K and V (8). Declared key_length 256, value_length 128
        // (embedding_length / head_count would give 3072 / 8 = 384, and must not be used).
        // 28 layers x 1000 tokens x 8 heads x (256 + 128) x 2 bytes = 28 x 1000 x 8 x 384 x 2 = 172,032,000.
        Path file = dir.resolve("gemma.gguf");
        twoTensors()
                .putString("general.architecture", "gemma")
                .putUint32("gemma.block_count", 28)
                .putUint32("gemma.embedding_length", 3072)
                .putUint32("gemma.attention.head_count", 8)
                .putUint32("gemma.attention.key_length", 256)
                .putUint32("gemma.attention.value_length", 128)
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            MemoryEstimate e = MemoryEstimate.of(gguf, 1000);
            assertEquals(172_032_000L, e.kvCacheBytes());
            assertEquals(8, e.kvHeads());
            assertEquals(256, e.keyLength());
            assertEquals(128, e.valueLength());
        }
    }

    @Test
    void aMissingBlockCountIsNamed() throws Exception {
        Path file = dir.resolve("broken.gguf");
        twoTensors()
                .putString("general.architecture", "llama")
                .putUint32("llama.embedding_length", 64)
                .putUint32("llama.attention.head_count", 4)
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadataException e = assertThrows(GgufMetadataException.class, () -> MemoryEstimate.of(gguf, 512));
            assertEquals("llama.block_count", e.key());
            assertTrue(e.getMessage().contains("broken.gguf"), e.getMessage());
        }
    }
}
