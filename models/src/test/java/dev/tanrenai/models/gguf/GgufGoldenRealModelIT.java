package dev.tanrenai.models.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.provenance.Sha256;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden checks of the reader on the real stories260K.gguf (llama2.c tinyllamas, GGUF form). The
 * model is found through the system property {@code tanrenai.shared.models}; a missing file or a
 * different SHA-256 fails the test.
 */
class GgufGoldenRealModelIT {
    private static final String MODEL_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
    /** Absolute file offset of the tensor data section (header + 19 keys + 48 tensor infos, aligned to 32). */
    private static final long DATA_OFFSET = 14176;

    private static Path model;

    @BeforeAll
    static void locateAndVerifyModel() throws IOException {
        String dir = System.getProperty("tanrenai.shared.models");
        assertTrue(dir != null && !dir.isBlank(), "system property tanrenai.shared.models is not set");
        model = Path.of(dir).resolve("stories260K.gguf");
        assertTrue(Files.isRegularFile(model), "real model missing: " + model);
        assertEquals(MODEL_SHA256, Sha256.ofFile(model), "SHA-256 of " + model);
    }

    @Test
    void headerAndHyperParameters() throws IOException {
        try (GgufFile gguf = GgufFile.open(model)) {
            assertEquals(3, gguf.version());
            GgufMetadata md = gguf.metadata();
            assertEquals(19, md.size());
            assertEquals("llama", md.getString("general.architecture"));
            assertEquals(5, md.getInt("llama.block_count"));
            assertEquals(64, md.getInt("llama.embedding_length"));
            assertEquals(8, md.getInt("llama.attention.head_count"));
            assertEquals(4, md.getInt("llama.attention.head_count_kv"));
            assertEquals(2048, md.getInt("llama.context_length"));
            assertEquals(172, md.getInt("llama.feed_forward_length"));
            assertEquals(1e-5f, md.getFloat("llama.attention.layer_norm_rms_epsilon"));
            assertEquals("llama", md.getString("tokenizer.ggml.model"));
            assertEquals(512, md.getStringArray("tokenizer.ggml.tokens").size());
            assertEquals("<0x00>", md.getStringArray("tokenizer.ggml.tokens").get(3));
            assertEquals(0xFFFF_FFFFL, md.getLong("tokenizer.ggml.padding_token_id"));
            assertFalse(md.contains("tokenizer.chat_template"));
            assertEquals(32, gguf.alignment());
            assertEquals(DATA_OFFSET, gguf.dataOffset());

            GgufSummary summary = gguf.summary();
            assertEquals(48, summary.tensorCount());
            assertEquals(48, summary.tensorsByType().get(GgmlType.F32));
            assertEquals(1, summary.tensorsByType().size());
            assertEquals(292_800L, summary.parameterCount());
            assertEquals(512, summary.vocabSize().getAsInt());
        }
    }

    @Test
    void tensorShapes() throws IOException {
        try (GgufFile gguf = GgufFile.open(model)) {
            assertEquals(48, gguf.tensors().size());
            assertEquals("token_embd.weight", gguf.tensors().get(0).name());
            assertArrayEquals(
                    new long[] {64, 512}, gguf.tensor("token_embd.weight").shape());
            assertArrayEquals(new long[] {64}, gguf.tensor("output_norm.weight").shape());
            assertArrayEquals(new long[] {64, 512}, gguf.tensor("output.weight").shape());
            for (int b = 0; b < 5; b++) {
                String p = "blk." + b + ".";
                assertArrayEquals(
                        new long[] {64, 64}, gguf.tensor(p + "attn_q.weight").shape());
                assertArrayEquals(
                        new long[] {64, 32}, gguf.tensor(p + "attn_k.weight").shape());
                assertArrayEquals(
                        new long[] {64, 32}, gguf.tensor(p + "attn_v.weight").shape());
                assertArrayEquals(
                        new long[] {64, 64},
                        gguf.tensor(p + "attn_output.weight").shape());
                assertArrayEquals(
                        new long[] {64, 172}, gguf.tensor(p + "ffn_gate.weight").shape());
                assertArrayEquals(
                        new long[] {172, 64}, gguf.tensor(p + "ffn_down.weight").shape());
                assertArrayEquals(
                        new long[] {64, 172}, gguf.tensor(p + "ffn_up.weight").shape());
                assertArrayEquals(
                        new long[] {64}, gguf.tensor(p + "attn_norm.weight").shape());
                assertArrayEquals(
                        new long[] {64}, gguf.tensor(p + "ffn_norm.weight").shape());
            }
            gguf.tensors().forEach(t -> assertEquals(GgmlType.F32, t.type(), t.name()));
        }
    }

    @Test
    void goldenDigestsOfDequantizedTensors() throws IOException {
        try (GgufFile gguf = GgufFile.open(model)) {
            assertEquals(
                    "452158377d2f8703b5b38935f894b628d3c7e2ac26bc167bfbfc68655dfe2c8a",
                    floatDigest(gguf.dequantize("token_embd.weight")));
            assertEquals(
                    "42ae9485806ab6265d45a011cc0e4e8bde4ec68705d9f5dab306c00498bcb1a3",
                    floatDigest(gguf.dequantize("blk.0.attn_q.weight")));
            assertEquals(
                    "0e94e5b6ed76295de67218f03110c2ffaba21db46cc8a5ccd716bd8ebaf024f7",
                    floatDigest(gguf.dequantize("output_norm.weight")));
            assertEquals(
                    "414592b302b72ae5a85da2bfde57c127f23ee6d306b2abeb3be9c9888fb4901e",
                    floatDigest(gguf.dequantize("blk.4.ffn_down.weight")));
            float[] embd = gguf.dequantize("token_embd.weight");
            assertEquals(-0.29474878f, embd[0]);
            assertEquals(-0.4240326f, embd[embd.length - 1]);
        }
    }

    /** Independent path: plain RandomAccessFile reads of little-endian floats at hard-coded offsets. */
    @Test
    void crossCheckAgainstRawFileBytes() throws IOException {
        try (GgufFile gguf = GgufFile.open(model);
                RandomAccessFile raw = new RandomAccessFile(model.toFile(), "r")) {
            byte[] head = new byte[24];
            raw.readFully(head);
            ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0x46554747, h.getInt()); // "GGUF"
            assertEquals(3, h.getInt());
            assertEquals(48L, h.getLong());
            assertEquals(19L, h.getLong());

            // token_embd.weight is the first tensor at data offset 0: [64, 512] floats
            byte[] bytes = new byte[64 * 512 * 4];
            raw.seek(DATA_OFFSET);
            raw.readFully(bytes);
            float[] expected = new float[64 * 512];
            ByteBuffer.wrap(bytes)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(expected);
            assertArrayEquals(expected, gguf.dequantize("token_embd.weight"));
            assertEquals("452158377d2f8703b5b38935f894b628d3c7e2ac26bc167bfbfc68655dfe2c8a", Sha256.ofBytes(bytes));

            GgufTensorInfo q = gguf.tensor("blk.0.attn_q.weight");
            byte[] qBytes = new byte[(int) q.byteSize()];
            raw.seek(DATA_OFFSET + q.offset());
            raw.readFully(qBytes);
            assertEquals("42ae9485806ab6265d45a011cc0e4e8bde4ec68705d9f5dab306c00498bcb1a3", Sha256.ofBytes(qBytes));
        }
    }

    private static String floatDigest(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return Sha256.ofBytes(b.array());
    }
}
