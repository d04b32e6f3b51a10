package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.gguf.GgufWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipeline models recommend} on GGUF headers with hand-computed sizes and a given machine. */
class CliRecommendTest {

    @TempDir
    Path dir;

    /**
     * small: weights 2560 + 128 = 2688 bytes; KV at 1024 tokens: 2 layers x 1024 x 2 KV heads x (16 + 16) x 2
     * = 262,144; total 264,832. big: weights 2688 + 65,536 = 68,224; KV: 32 x 1024 x 8 x (128 + 128) x 2 =
     * 134,217,728; total 134,285,952.
     */
    private Path[] models() throws Exception {
        Path small = dir.resolve("small.gguf");
        base(2, 64, 4, 2).write(small);
        Path big = dir.resolve("big.gguf");
        base(32, 4096, 32, 8)
                .addF32("c.weight", new long[] {1024, 16}, new float[1024 * 16])
                .write(big);
        return new Path[] {small, big};
    }

    private static GgufWriter base(int layers, int width, int heads, int kvHeads) {
        return new GgufWriter()
                .putString("general.architecture", "llama")
                .putUint32("llama.block_count", layers)
                .putUint32("llama.embedding_length", width)
                .putUint32("llama.attention.head_count", heads)
                .putUint32("llama.attention.head_count_kv", kvHeads)
                .addF32("a.weight", new long[] {64, 10}, new float[640])
                .addTensor("b.weight", new long[] {8, 8}, GgmlType.F16, new float[64]);
    }

    @Test
    void picksTheLargestModelThatFitsAndShowsTheEstimate() throws Exception {
        Path[] m = models();
        String home = dir.resolve("home").toString();
        // 100 MiB: a model may take 90% = 94,371,840 bytes; big needs 134,285,952
        JsonNode tight = CliRun.ok(
                        "models",
                        "recommend",
                        m[0].toString(),
                        m[1].toString(),
                        "--context",
                        "1024",
                        "--memory",
                        "100M",
                        "--cores",
                        "2",
                        "--home",
                        home,
                        "--json")
                .json();
        assertEquals(94_371_840L, tight.get("budgetBytes").asLong());
        JsonNode small = tight.get("models").get(0);
        assertEquals(2688, small.at("/estimate/weightBytes").asLong());
        assertEquals(262_144, small.at("/estimate/kvCacheBytes").asLong());
        assertTrue(small.get("fits").asBoolean());
        JsonNode big = tight.get("models").get(1);
        assertEquals(68_224, big.at("/estimate/weightBytes").asLong());
        assertEquals(134_217_728L, big.at("/estimate/kvCacheBytes").asLong());
        assertFalse(big.get("fits").asBoolean());
        assertEquals("small.gguf", tight.get("recommendation").asText());

        CliRun roomy = CliRun.ok(
                "models",
                "recommend",
                m[0].toString(),
                m[1].toString(),
                "--context",
                "1024",
                "--memory",
                "1G",
                "--cores",
                "2",
                "--home",
                home);
        assertTrue(roomy.out().contains("recommendation: big.gguf"), roomy.out());
        assertTrue(roomy.out().contains("(32 layers x 8 KV heads x 128+128)"), roomy.out());
        assertTrue(roomy.out().contains("128.0 MiB"), "the KV cache of big: " + roomy.out());

        CliRun none = CliRun.ok(
                "models",
                "recommend",
                m[1].toString(),
                "--context",
                "1024",
                "--memory",
                "10M",
                "--cores",
                "2",
                "--home",
                home);
        assertTrue(none.out().contains("recommendation: none fits"), none.out());

        CliRun bad = CliRun.run("models", "recommend", m[0].toString(), "--memory", "lots", "--home", home);
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("--memory"), bad.err());
    }
}
