package dev.tanrenai.train.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.decoder.DecoderConfig;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.decoder.testing.RandomAdapters;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeftExportTest {

    @TempDir
    Path dir;

    @Test
    void permutationMatchesLlamaCppsConversionByHand() {
        // HF rows of one head: [x0 x1 | y0 y1] (the two rotary halves); llama.cpp interleaves: x0 y0 x1 y1
        assertArrayEquals(
                new float[] {0, 2, 1, 3, 4, 6, 5, 7},
                QkPermutation.permute(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 8, 1, 2));
        float[] random = new float[64 * 3];
        Random r = new Random(1);
        for (int i = 0; i < random.length; i++) {
            random[i] = r.nextFloat();
        }
        assertArrayEquals(random, QkPermutation.unpermute(QkPermutation.permute(random, 64, 3, 4), 64, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> QkPermutation.permute(new float[6], 6, 1, 2));
    }

    @Test
    void unpermutingBCommutesWithTheDelta() {
        int nOut = 16;
        int r = 3;
        int nIn = 5;
        Random random = new Random(2);
        float[] b = new float[nOut * r];
        float[] a = new float[r * nIn];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextFloat() - 0.5f;
        }
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() - 0.5f;
        }
        float[] deltaGguf = matmul(b, a, nOut, r, nIn); // [nOut, nIn] in GGUF row order
        float[] deltaHf = matmul(QkPermutation.unpermute(b, nOut, r, 2), a, nOut, r, nIn);
        assertArrayEquals(QkPermutation.unpermute(deltaGguf, nOut, nIn, 2), deltaHf, 1e-6f);
    }

    private static float[] matmul(float[] x, float[] y, int n, int k, int m) {
        float[] out = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                float s = 0;
                for (int t = 0; t < k; t++) {
                    s += x[i * k + t] * y[t * m + j];
                }
                out[i * m + j] = s;
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void exportsPeftNamesShapesAndHfRowOrderDeterministically(String arch) throws Exception {
        TinyModelSpec spec = arch.equals("llama") ? TinyModelSpec.llamaDefault() : TinyModelSpec.qwen2Default();
        Path model = dir.resolve(arch + ".gguf");
        TinyModelMaker.write(spec, model);
        Path adapter = dir.resolve(arch + "-adapter.gguf");
        RandomAdapters.write(
                spec, EnumSet.of(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.DOWN), 4, 8f, 0.1f, 3, adapter);
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderConfig config = DecoderWeights.load(gguf, m).config();
            LoraWeights lora = LoraWeights.load(adapter, m, 1);
            Path out = dir.resolve("peft-" + arch);
            PeftExport.write(lora, config, out, "my/base");
            Map<String, SafetensorsReader.Tensor> tensors = PeftExport.readTensors(out);
            assertEquals(spec.blockCount() * 4 * 2, tensors.size());
            for (int block = 0; block < spec.blockCount(); block++) {
                for (LoraTarget t : EnumSet.of(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.DOWN)) {
                    String prefix = "base_model.model.model.layers." + block + "." + PeftExport.moduleName(t);
                    SafetensorsReader.Tensor a = tensors.get(prefix + ".lora_A.weight");
                    SafetensorsReader.Tensor b = tensors.get(prefix + ".lora_B.weight");
                    LoraWeights.Pair p = lora.pair(block, t);
                    assertArrayEquals(p.a().getShape().getShape(), a.shape());
                    assertArrayEquals(p.b().getShape().getShape(), b.shape());
                    assertArrayEquals(p.a().toFloatArray(), a.values(), prefix + " A");
                    float[] expectedB = p.b().toFloatArray();
                    if (arch.equals("llama") && (t == LoraTarget.Q || t == LoraTarget.K)) {
                        int heads = t == LoraTarget.Q ? config.headCount() : config.headCountKv();
                        expectedB = QkPermutation.unpermute(expectedB, (int) b.shape()[0], (int) b.shape()[1], heads);
                        assertTrue(!java.util.Arrays.equals(expectedB, p.b().toFloatArray()), "reordered");
                    }
                    assertArrayEquals(expectedB, b.values(), prefix + " B");
                }
            }
            JsonNode json = new ObjectMapper()
                    .readTree(out.resolve(PeftExport.CONFIG_FILE).toFile());
            assertEquals("LORA", json.get("peft_type").asText());
            assertEquals("CAUSAL_LM", json.get("task_type").asText());
            assertEquals(4, json.get("r").asInt());
            assertEquals(8.0, json.get("lora_alpha").asDouble());
            assertEquals("my/base", json.get("base_model_name_or_path").asText());
            assertEquals(
                    "[\"down_proj\",\"k_proj\",\"q_proj\",\"v_proj\"]",
                    json.get("target_modules").toString());

            Path again = dir.resolve("again-" + arch);
            PeftExport.write(lora, config, again, "my/base");
            assertArrayEquals(
                    Files.readAllBytes(out.resolve(PeftExport.WEIGHTS_FILE)),
                    Files.readAllBytes(again.resolve(PeftExport.WEIGHTS_FILE)));
            assertArrayEquals(
                    Files.readAllBytes(out.resolve(PeftExport.CONFIG_FILE)),
                    Files.readAllBytes(again.resolve(PeftExport.CONFIG_FILE)));
        }
    }

    @Test
    void corruptSafetensorsFilesAreRejectedWithTheByteOffset() throws Exception {
        Path good = dir.resolve("good.safetensors");
        new SafetensorsWriter()
                .add("w", new long[] {2, 2}, new float[] {1, 2, 3, 4})
                .write(good);
        byte[] bytes = Files.readAllBytes(good);
        assertEquals(4, SafetensorsReader.read(good).get("w").values().length);

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        SafetensorsReader.SafetensorsException e =
                assertThrows(SafetensorsReader.SafetensorsException.class, () -> SafetensorsReader.read(truncated));
        assertTrue(e.getMessage().contains("outside the 13 data bytes"), e.getMessage());

        Path longHeader = dir.resolve("long-header.safetensors");
        byte[] forged = bytes.clone();
        ByteBuffer.wrap(forged).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Files.write(longHeader, forged);
        e = assertThrows(SafetensorsReader.SafetensorsException.class, () -> SafetensorsReader.read(longHeader));
        assertTrue(e.getMessage().contains("at byte 0: header length"), e.getMessage());

        Path notJson = dir.resolve("not-json.safetensors");
        byte[] broken = bytes.clone();
        broken[8] = 'x';
        Files.write(notJson, broken);
        e = assertThrows(SafetensorsReader.SafetensorsException.class, () -> SafetensorsReader.read(notJson));
        assertTrue(e.getMessage().contains("at byte 8: the header is not JSON"), e.getMessage());

        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertThrows(SafetensorsReader.SafetensorsException.class, () -> SafetensorsReader.read(tiny));
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsWriter()
                .add("w", new long[] {3}, new float[] {1, 2}));
    }
}
