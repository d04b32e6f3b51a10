package dev.tanrenai.models.tiny;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufMetadata;
import dev.tanrenai.models.gguf.GgufSummary;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyModelMakerTest {
    @TempDir
    Path dir;

    private static TinyModelSpec spec(int dim, int heads, int kvHeads, int ffn, int vocab, GgmlType type) {
        return new TinyModelSpec(
                TinyArchitecture.LLAMA, 2, dim, heads, kvHeads, ffn, vocab, 128, 10000f, 1e-5f, 1L, type);
    }

    @Test
    void specValidation() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec(66, 4, 2, 128, 512, GgmlType.F32))
                .getMessage()
                .contains("not divisible by headCount"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec(64, 4, 3, 128, 512, GgmlType.F32))
                .getMessage()
                .contains("not divisible by headCountKv"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec(60, 4, 2, 128, 512, GgmlType.F32))
                .getMessage()
                .contains("head dimension 15 must be even"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec(64, 4, 2, 128, 300, GgmlType.F32))
                .getMessage()
                .contains("vocabSize must be in"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec(64, 4, 2, 100, 512, GgmlType.Q8_0))
                .getMessage()
                .contains("divisible by 32"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> spec(64, 4, 2, 128, 512, GgmlType.Q4_K))
                .getMessage()
                .contains("F32, F16 or Q8_0"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TinyModelSpec(
                        TinyArchitecture.LLAMA, 0, 64, 4, 2, 128, 512, 128, 10000f, 1e-5f, 1L, GgmlType.F32));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TinyModelSpec(
                        TinyArchitecture.LLAMA, 2, 64, 4, 2, 128, 512, 128, Float.NaN, 1e-5f, 1L, GgmlType.F32));
        assertThrows(
                NullPointerException.class,
                () -> new TinyModelSpec(null, 2, 64, 4, 2, 128, 512, 128, 10000f, 1e-5f, 1L, GgmlType.F32));
    }

    @Test
    void vocabIsSentencePieceShaped() {
        TinyVocab vocab = TinyVocab.ofSize(512);
        assertEquals(512, vocab.size());
        assertEquals("<unk>", vocab.tokens().get(TinyVocab.UNK_ID));
        assertEquals("<s>", vocab.tokens().get(TinyVocab.BOS_ID));
        assertEquals("</s>", vocab.tokens().get(TinyVocab.EOS_ID));
        assertEquals("<0x00>", vocab.tokens().get(TinyVocab.FIRST_BYTE_ID));
        assertEquals("<0x0A>", vocab.tokens().get(TinyVocab.FIRST_BYTE_ID + 10));
        assertEquals("<0xFF>", vocab.tokens().get(TinyVocab.FIRST_BYTE_ID + 255));
        assertEquals("<|im_start|>", vocab.tokens().get(TinyVocab.IM_START_ID));
        assertEquals("<|im_end|>", vocab.tokens().get(TinyVocab.IM_END_ID));
        int[] types = vocab.tokenTypes();
        assertEquals(TinyVocab.TYPE_UNKNOWN, types[0]);
        assertEquals(TinyVocab.TYPE_CONTROL, types[1]);
        assertEquals(TinyVocab.TYPE_CONTROL, types[TinyVocab.IM_END_ID]);
        assertEquals(TinyVocab.TYPE_BYTE, types[100]);
        assertEquals(TinyVocab.TYPE_NORMAL, types[511]);
        Set<String> seen = new HashSet<>(vocab.tokens());
        assertEquals(512, seen.size(), "tokens are unique");
        assertTrue(seen.contains("\u2581the") && seen.contains("a") && seen.contains("\u2581a"));
        // every multi-character normal piece can be reached by SPM merges: its prefix exists
        for (int id = TinyVocab.IM_END_ID + 1; id < vocab.size(); id++) {
            String piece = vocab.tokens().get(id);
            if (piece.length() > 1) {
                assertTrue(seen.contains(piece.substring(0, piece.length() - 1)), "prefix of " + piece);
            }
        }
        assertEquals(TinyVocab.MAX_SIZE, TinyVocab.ofSize(TinyVocab.MAX_SIZE).size());
        assertThrows(IllegalArgumentException.class, () -> TinyVocab.ofSize(TinyVocab.MAX_SIZE + 1));
    }

    @Test
    void sameSpecGivesIdenticalBytesAndAnotherSeedDoesNot() throws IOException {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        Path c = dir.resolve("c.gguf");
        String hashA = TinyModelMaker.write(TinyModelSpec.llamaDefault(), a);
        String hashB = TinyModelMaker.write(TinyModelSpec.llamaDefault(), b);
        String hashC = TinyModelMaker.write(TinyModelSpec.llamaDefault().withSeed(43), c);
        assertEquals(hashA, hashB);
        assertEquals(hashA, Sha256.ofFile(a));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertNotEquals(hashA, hashC);
        assertEquals(64, hashA.length());
    }

    @Test
    void llamaFileHasAllKeysAndShapes() throws IOException {
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        Path file = dir.resolve("llama.gguf");
        TinyModelMaker.write(spec, file);
        try (GgufFile gguf = GgufFile.open(file)) {
            GgufMetadata md = gguf.metadata();
            assertEquals("llama", md.getString("general.architecture"));
            assertEquals(512, md.getInt("llama.context_length"));
            assertEquals(64, md.getInt("llama.embedding_length"));
            assertEquals(2, md.getInt("llama.block_count"));
            assertEquals(128, md.getInt("llama.feed_forward_length"));
            assertEquals(16, md.getInt("llama.rope.dimension_count"));
            assertEquals(10000f, md.getFloat("llama.rope.freq_base"));
            assertEquals(4, md.getInt("llama.attention.head_count"));
            assertEquals(2, md.getInt("llama.attention.head_count_kv"));
            assertEquals(1e-5f, md.getFloat("llama.attention.layer_norm_rms_epsilon"));
            assertEquals(512, md.getInt("llama.vocab_size"));
            assertEquals("llama", md.getString("tokenizer.ggml.model"));
            assertEquals(512, md.getStringArray("tokenizer.ggml.tokens").size());
            assertEquals(512, md.getFloatArray("tokenizer.ggml.scores").length);
            assertEquals(512, md.getIntArray("tokenizer.ggml.token_type").length);
            assertEquals(TinyVocab.IM_END_ID, md.getInt("tokenizer.ggml.eot_token_id"));
            assertTrue(md.getBool("tokenizer.ggml.add_bos_token"));
            assertEquals(TinyModelMaker.CHATML_TEMPLATE, md.getString("tokenizer.chat_template"));
            assertEquals(3 + 2 * 9, gguf.tensors().size());
            assertShape(gguf, "token_embd.weight", 64, 512);
            assertShape(gguf, "output_norm.weight", 64);
            assertShape(gguf, "output.weight", 64, 512);
            assertShape(gguf, "blk.1.attn_q.weight", 64, 64);
            assertShape(gguf, "blk.1.attn_k.weight", 64, 32);
            assertShape(gguf, "blk.1.attn_v.weight", 64, 32);
            assertShape(gguf, "blk.1.attn_output.weight", 64, 64);
            assertShape(gguf, "blk.1.ffn_gate.weight", 64, 128);
            assertShape(gguf, "blk.1.ffn_up.weight", 64, 128);
            assertShape(gguf, "blk.1.ffn_down.weight", 128, 64);
            assertTrue(gguf.findTensor("blk.0.attn_q.bias").isEmpty());
            assertArrayEquals(ones(64), gguf.dequantize("blk.0.attn_norm.weight"));
            float[] q = gguf.dequantize("blk.0.attn_q.weight");
            double sumSq = 0;
            for (float v : q) {
                sumSq += v * v;
            }
            double std = Math.sqrt(sumSq / q.length);
            assertEquals(1 / Math.sqrt(64), std, 0.01, "weights ~ N(0, 1/fan_in)");
            float[] output = gguf.dequantize("output.weight");
            for (int i = 0; i < 64; i++) {
                assertEquals(0f, output[TinyVocab.EOS_ID * 64 + i], "control-token logit rows are zero");
            }
            GgufSummary summary = gguf.summary();
            assertEquals("llama", summary.architecture());
            assertEquals(21, summary.tensorCount());
            assertEquals(
                    gguf.tensors().stream()
                            .mapToLong(GgufTensorInfo::elementCount)
                            .sum(),
                    summary.parameterCount());
            assertEquals(21, summary.tensorsByType().get(GgmlType.F32));
            assertEquals("64", summary.hyperParameters().get("embedding_length"));
            String text = summary.render(true);
            assertTrue(text.contains("blk.1.ffn_down.weight"), text);
            assertTrue(text.contains("chat template present"), text);
        }
    }

    @Test
    void qwen2HasBiasesAndQuantizedMatrices() throws IOException {
        TinyModelSpec spec = TinyModelSpec.qwen2Default().withTensorType(GgmlType.Q8_0);
        Path file = dir.resolve("qwen2.gguf");
        TinyModelMaker.write(spec, file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertEquals("qwen2", gguf.metadata().getString("general.architecture"));
            assertEquals(64, gguf.metadata().getInt("qwen2.embedding_length"));
            assertEquals(3 + 2 * 12, gguf.tensors().size());
            assertShape(gguf, "blk.0.attn_q.bias", 64);
            assertShape(gguf, "blk.0.attn_k.bias", 32);
            assertShape(gguf, "blk.0.attn_v.bias", 32);
            assertEquals(GgmlType.Q8_0, gguf.tensor("blk.0.ffn_down.weight").type());
            assertEquals(GgmlType.F32, gguf.tensor("blk.0.attn_q.bias").type());
            assertEquals(GgmlType.F32, gguf.tensor("output_norm.weight").type());
            assertEquals(7, gguf.metadata().getInt("general.file_type"));
        }
    }

    private static void assertShape(GgufFile gguf, String name, long... shape) {
        assertArrayEquals(shape, gguf.tensor(name).shape(), name);
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    @Test
    void vocabTokenListIsImmutable() {
        List<String> tokens = TinyVocab.ofSize(500).tokens();
        assertThrows(UnsupportedOperationException.class, () -> tokens.add("x"));
        assertFalse(tokens.isEmpty());
    }
}
