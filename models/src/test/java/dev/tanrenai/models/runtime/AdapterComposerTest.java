package dev.tanrenai.models.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AdapterComposer} on adapters for a tiny llama base, read back with the GGUF reader. */
class AdapterComposerTest {
    private static final String Q0 = "blk.0.attn_q.weight"; // base [64, 64]
    private static final String K1 = "blk.1.attn_k.weight"; // base [64, 32]
    private static final String DOWN0 = "blk.0.ffn_down.weight"; // base [128, 64]

    @TempDir
    static Path dir;

    private static Path base;

    @BeforeAll
    static void writeBase() throws IOException {
        base = dir.resolve("tiny-llama.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), base);
    }

    @Test
    void oneAdapterAtHalfScaleFoldsScaleAndAlphaIntoB() throws IOException {
        LoraFactors q = LoraFactors.random(Q0, 64, 64, 4, 0.5f, 1f, 1);
        LoraFactors down = LoraFactors.random(DOWN0, 128, 64, 4, 0.5f, 1f, 2);
        Path x = dir.resolve("half-x.gguf");
        LoraFactors.write(x, "llama", 6f, GgmlType.F32, List.of(q, down));

        Path composed = AdapterComposer.compose(base, List.of(new LoraAdapterRef(x, 0.5f)), dir.resolve("c1"));

        float factor = 0.5f * 6f / 4f; // scale * alpha / r
        try (GgufFile out = GgufFile.open(composed)) {
            assertEquals("adapter", out.metadata().getString("general.type"));
            assertEquals("lora", out.metadata().getString("adapter.type"));
            assertEquals("llama", out.metadata().getString("general.architecture"));
            assertEquals(0f, out.metadata().getFloat("adapter.lora.alpha"));
            assertEquals(4, out.tensors().size());
            for (LoraFactors pair : List.of(q, down)) {
                assertArrayEquals(
                        pair.aShape(), out.tensor(pair.baseName() + ".lora_a").shape());
                assertEquals(
                        GgmlType.F32, out.tensor(pair.baseName() + ".lora_a").type());
                assertArrayEquals(pair.a(), out.dequantize(pair.baseName() + ".lora_a"));
                assertArrayEquals(
                        pair.bShape(), out.tensor(pair.baseName() + ".lora_b").shape());
                assertArrayEquals(pair.scaledB(factor).b(), out.dequantize(pair.baseName() + ".lora_b"));
            }
        }
    }

    @Test
    void twoAdaptersStackOnSharedTensorsAndKeepDisjointOnes() throws IOException {
        LoraFactors xq = LoraFactors.random(Q0, 64, 64, 4, 0.5f, 1f, 3);
        LoraFactors xDown = LoraFactors.random(DOWN0, 128, 64, 4, 0.5f, 1f, 4);
        LoraFactors yq = LoraFactors.random(Q0, 64, 64, 2, 0.5f, 1f, 5);
        LoraFactors yk = LoraFactors.random(K1, 64, 32, 3, 0.5f, 1f, 6);
        Path x = dir.resolve("stack-x.gguf");
        Path y = dir.resolve("stack-y-f16.gguf");
        LoraFactors.write(x, "llama", 8f, GgmlType.F32, List.of(xq, xDown));
        LoraFactors.write(y, "llama", 0f, GgmlType.F16, List.of(yq, yk)); // alpha 0: no alpha scaling
        float xScale = 1.5f;
        float yScale = -0.5f;
        float cx = xScale * 8f / 4f;
        float cy = yScale;

        Path composed = AdapterComposer.compose(
                base, List.of(new LoraAdapterRef(x, xScale), new LoraAdapterRef(y, yScale)), dir.resolve("c2"));

        try (GgufFile out = GgufFile.open(composed);
                GgufFile yFile = GgufFile.open(y)) {
            // F16 storage rounds Y's factors: compare against what the file holds
            LoraFactors yqStored = read(yFile, Q0);
            LoraFactors ykStored = read(yFile, K1);
            assertEquals(6, out.tensors().size());
            LoraFactors q = read(out, Q0);
            assertArrayEquals(new long[] {64, 6}, q.aShape());
            assertArrayEquals(new long[] {6, 64}, q.bShape());
            assertArrayEquals(xq.a(), Arrays.copyOfRange(q.a(), 0, 64 * 4));
            assertArrayEquals(yqStored.a(), Arrays.copyOfRange(q.a(), 64 * 4, 64 * 6));
            for (int o = 0; o < 64; o++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(cx * xq.b()[o * 4 + k], q.b()[o * 6 + k]);
                }
                for (int k = 0; k < 2; k++) {
                    assertEquals(cy * yqStored.b()[o * 2 + k], q.b()[o * 6 + 4 + k]);
                }
            }
            // the composed delta is the scaled sum of the two deltas
            double[][] expected = xq.delta();
            double[][] fromY = yqStored.delta();
            double[][] actual = q.delta();
            for (int o = 0; o < 64; o++) {
                for (int i = 0; i < 64; i++) {
                    double want = cx * expected[o][i] + cy * fromY[o][i];
                    assertEquals(want, actual[o][i], 1e-4, "delta[" + o + "][" + i + "]");
                }
            }
            LoraFactors down = read(out, DOWN0);
            assertArrayEquals(new long[] {128, 4}, down.aShape());
            assertArrayEquals(xDown.a(), down.a());
            assertArrayEquals(xDown.scaledB(cx).b(), down.b());
            LoraFactors k = read(out, K1);
            assertArrayEquals(new long[] {64, 3}, k.aShape());
            assertArrayEquals(new long[] {3, 32}, k.bShape());
            assertArrayEquals(ykStored.a(), k.a());
            assertArrayEquals(ykStored.scaledB(cy).b(), k.b());
        }
    }

    @Test
    void tokenEmbeddingPairsStackAlongTheRankOfBothFactors() throws IOException {
        // token_embd [64, 512]: A is [r, 512], B is [r, 64]
        LoraFactors x = new LoraFactors(
                "token_embd.weight", new long[] {2, 512}, ramp(1024, 1f), new long[] {2, 64}, ramp(128, 2f));
        LoraFactors y = new LoraFactors(
                "token_embd.weight", new long[] {1, 512}, ramp(512, 3f), new long[] {1, 64}, ramp(64, 4f));
        Path xf = dir.resolve("embd-x.gguf");
        Path yf = dir.resolve("embd-y.gguf");
        LoraFactors.write(xf, "llama", 0f, GgmlType.F32, List.of(x));
        LoraFactors.write(yf, "llama", 0f, GgmlType.F32, List.of(y));
        Path composed = AdapterComposer.compose(
                base, List.of(new LoraAdapterRef(xf, 2f), new LoraAdapterRef(yf, 1f)), dir.resolve("c3"));
        try (GgufFile out = GgufFile.open(composed)) {
            LoraFactors e = read(out, "token_embd.weight");
            assertArrayEquals(new long[] {3, 512}, e.aShape());
            assertArrayEquals(new long[] {3, 64}, e.bShape());
            for (int v = 0; v < 512; v++) {
                assertEquals(x.a()[v * 2], e.a()[v * 3]);
                assertEquals(x.a()[v * 2 + 1], e.a()[v * 3 + 1]);
                assertEquals(y.a()[v], e.a()[v * 3 + 2]);
            }
            for (int c = 0; c < 64; c++) {
                assertEquals(2f * x.b()[c * 2 + 1], e.b()[c * 3 + 1]);
                assertEquals(y.b()[c], e.b()[c * 3 + 2]);
            }
        }
    }

    @Test
    void badAdaptersFailWithTheFileAndTensorNamed() throws IOException {
        LoraFactors q = LoraFactors.random(Q0, 64, 64, 4, 0.5f, 1f, 7);
        Path good = dir.resolve("bad-good.gguf");
        LoraFactors.write(good, "llama", 4f, GgmlType.F32, List.of(q));
        Path cache = dir.resolve("c-bad");

        Path qwen = dir.resolve("bad-qwen2.gguf");
        LoraFactors.write(qwen, "qwen2", 4f, GgmlType.F32, List.of(q));
        assertFails(List.of(good, qwen), qwen, "architecture 'qwen2'", cache);

        Path wrongShape = dir.resolve("bad-shape.gguf");
        LoraFactors.write(
                wrongShape, "llama", 4f, GgmlType.F32, List.of(LoraFactors.random(K1, 64, 64, 4, 0.5f, 1f, 8)));
        assertFails(List.of(good, wrongShape), wrongShape, K1, cache);

        Path notInBase = dir.resolve("bad-unknown.gguf");
        LoraFactors.write(
                notInBase,
                "llama",
                4f,
                GgmlType.F32,
                List.of(LoraFactors.random("blk.7.attn_q.weight", 64, 64, 4, 0.5f, 1f, 9)));
        assertFails(List.of(notInBase), notInBase, "blk.7.attn_q.weight", cache);

        assertFails(List.of(good, base), base, "general.type", cache);
        Path missing = dir.resolve("bad-missing.gguf");
        assertFails(List.of(good, missing), missing, "does not exist", cache);
        assertTrue(!Files.exists(cache) || isEmpty(cache), "nothing is written for bad input");
        assertThrows(IllegalArgumentException.class, () -> AdapterComposer.compose(base, List.of(), cache));
    }

    @Test
    void sameInputsGiveTheSameBytesAndNameAndOtherScalesAnother() throws IOException {
        Path x = dir.resolve("det-x.gguf");
        Path y = dir.resolve("det-y.gguf");
        LoraFactors.write(x, "llama", 4f, GgmlType.F32, List.of(LoraFactors.random(Q0, 64, 64, 4, 0.5f, 1f, 10)));
        LoraFactors.write(y, "llama", 2f, GgmlType.F32, List.of(LoraFactors.random(K1, 64, 32, 2, 0.5f, 1f, 11)));
        List<LoraAdapterRef> refs = List.of(new LoraAdapterRef(x, 0.25f), new LoraAdapterRef(y, 2f));
        Path first = AdapterComposer.compose(base, refs, dir.resolve("det-1"));
        Path second = AdapterComposer.compose(base, refs, dir.resolve("det-2"));
        assertEquals(first.getFileName(), second.getFileName());
        assertTrue(first.getFileName().toString().matches("composed-[0-9a-f]{16}\\.gguf"), first.toString());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        Path otherScale = AdapterComposer.compose(
                base, List.of(new LoraAdapterRef(x, 0.25f), new LoraAdapterRef(y, 1f)), dir.resolve("det-1"));
        Path otherOrder = AdapterComposer.compose(base, List.of(refs.get(1), refs.get(0)), dir.resolve("det-1"));
        assertNotEquals(first.getFileName(), otherScale.getFileName());
        assertNotEquals(first.getFileName(), otherOrder.getFileName());
    }

    @Test
    void anExistingCompositionIsReusedAndADamagedOneRebuilt() throws IOException {
        Path x = dir.resolve("cache-x.gguf");
        LoraFactors.write(x, "llama", 4f, GgmlType.F32, List.of(LoraFactors.random(Q0, 64, 64, 4, 0.5f, 1f, 12)));
        List<LoraAdapterRef> refs = List.of(new LoraAdapterRef(x, 3f));
        Path cache = dir.resolve("cache");
        Path composed = AdapterComposer.compose(base, refs, cache);
        byte[] bytes = Files.readAllBytes(composed);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(composed, old);
        assertEquals(composed, AdapterComposer.compose(base, refs, cache));
        assertEquals(old, Files.getLastModifiedTime(composed), "a verified composition is not rewritten");

        Files.write(composed, Arrays.copyOf(bytes, bytes.length / 2));
        assertEquals(composed, AdapterComposer.compose(base, refs, cache));
        assertArrayEquals(bytes, Files.readAllBytes(composed), "a truncated composition is rebuilt");
        try (var listing = Files.list(cache)) {
            assertEquals(1, listing.count(), "no temporary files left behind");
        }
    }

    private static void assertFails(List<Path> adapters, Path culprit, String fragment, Path cache) {
        List<LoraAdapterRef> refs =
                adapters.stream().map(p -> new LoraAdapterRef(p, 0.5f)).toList();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> AdapterComposer.compose(base, refs, cache));
        assertEquals(culprit.toAbsolutePath().normalize(), e.file(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (var listing = Files.list(directory)) {
            return listing.findAny().isEmpty();
        }
    }

    private static LoraFactors read(GgufFile file, String baseName) throws IOException {
        return new LoraFactors(
                baseName,
                file.tensor(baseName + ".lora_a").shape(),
                file.dequantize(baseName + ".lora_a"),
                file.tensor(baseName + ".lora_b").shape(),
                file.dequantize(baseName + ".lora_b"));
    }

    private static float[] ramp(int n, float offset) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = offset + i * 0.001f;
        }
        return values;
    }
}
