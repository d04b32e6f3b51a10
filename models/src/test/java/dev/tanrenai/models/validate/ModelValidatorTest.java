package dev.tanrenai.models.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.models.gguf.GgmlType;
import dev.tanrenai.models.gguf.GgufArray;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufRewrite;
import dev.tanrenai.models.gguf.GgufValue;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ModelValidator} on tiny models written by {@link TinyModelMaker}, and variants of them. */
class ModelValidatorTest {
    @TempDir
    static Path dir;

    static Path llama;
    static Path qwen2;

    @BeforeAll
    static void writeModels() throws IOException {
        llama = dir.resolve("llama.gguf");
        qwen2 = dir.resolve("qwen2.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), llama);
        TinyModelMaker.write(TinyModelSpec.qwen2Default(), qwen2);
    }

    @ParameterizedTest
    @EnumSource(
            value = GgmlType.class,
            names = {"F32", "F16", "Q8_0"})
    void tinyModelsOfEveryWriterTypePass(GgmlType type) throws IOException {
        for (TinyModelSpec spec : List.of(TinyModelSpec.llamaDefault(), TinyModelSpec.qwen2Default())) {
            Path file = dir.resolve(spec.architecture() + "-" + type + ".gguf");
            TinyModelMaker.write(spec.withTensorType(type), file);
            ModelValidator.validateBase(file);
        }
    }

    static Stream<Arguments> badHyperParameters() {
        return Stream.of(
                // the three files of issue 11 that aborted llama.cpp
                bad("llama.block_count", GgufValue.uint32(0), "0", "must be in [1, 512]"),
                bad("llama.attention.layer_norm_rms_epsilon", GgufValue.float32(-1f), "-1.0", "(0.0, 1.0]"),
                bad("llama.attention.layer_norm_rms_epsilon", GgufValue.float32(Float.NaN), "NaN", "finite"),
                bad("llama.attention.layer_norm_rms_epsilon", GgufValue.float32(0f), "0.0", "(0.0, 1.0]"),
                bad("llama.block_count", GgufValue.uint32(513), "513", "[1, 512]"),
                bad("llama.context_length", GgufValue.uint32(0), "0", "[1, "),
                bad("llama.embedding_length", GgufValue.uint32(0), "0", "[1, "),
                bad("llama.attention.head_count", GgufValue.uint32(0), "0", "[1, "),
                bad("llama.attention.head_count_kv", GgufValue.uint32(0), "0", "[1, "),
                bad("llama.attention.head_count_kv", GgufValue.uint32(3), "3", "not a multiple of head_count_kv"),
                bad("llama.attention.head_count", GgufValue.uint32(6), "6", "not divisible"),
                bad("llama.feed_forward_length", GgufValue.uint32(0), "0", "[1, "),
                bad("llama.rope.dimension_count", GgufValue.uint32(8), "8", "must equal the head dimension 16"),
                bad("llama.rope.freq_base", GgufValue.float32(Float.NaN), "NaN", "finite"),
                bad("llama.rope.freq_base", GgufValue.float32(-1f), "-1.0", "(0.0, "),
                bad("llama.rope.scaling.type", GgufValue.string("bogus"), "bogus", "must be one of"),
                bad("llama.rope.scaling.factor", GgufValue.float32(Float.POSITIVE_INFINITY), "Infinity", "finite"),
                bad("llama.expert_count", GgufValue.uint32(8), "8", "[0, 0]"),
                bad("llama.vocab_size", GgufValue.uint32(100), "100", "tokenizer.ggml.tokens has 512 tokens"),
                bad("llama.block_count", GgufValue.string("2"), "2", "must be an integer"),
                bad("general.architecture", GgufValue.string("gemma"), "gemma", "only"),
                bad("tokenizer.ggml.model", GgufValue.string("bogus"), "bogus", "must be one of"),
                bad("tokenizer.ggml.scores", GgufValue.array(GgufArray.ofFloat32(new float[3])), "array of 3", "512"),
                bad("tokenizer.ggml.token_type", GgufValue.array(GgufArray.ofInt32(new int[3])), "array of 3", "512"),
                bad("llama.feed_forward_length", GgufValue.uint32(64), "shape [64, 128]", "expected [64, 64]"));
    }

    private static Arguments bad(String key, GgufValue value, String shown, String why) {
        return Arguments.of(key, value, shown, why);
    }

    @ParameterizedTest(name = "{0} = {2}")
    @MethodSource("badHyperParameters")
    void aHyperParameterLlamaCppAssertsOnIsRefusedNamingKeyAndValue(
            String key, GgufValue value, String shown, String why) throws IOException {
        Path file = dir.resolve("bad-" + Math.abs((key + value).hashCode()) + ".gguf");
        GgufRewrite.of(llama).set(key, value).write(file);
        ModelValidationException e =
                assertThrows(ModelValidationException.class, () -> ModelValidator.validateBase(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(shown), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        if (!key.equals("llama.feed_forward_length") || !shown.startsWith("shape")) {
            assertTrue(
                    e.subject().startsWith(key) || e.subject().startsWith("llama.attention.head_count"), e.subject());
        } else {
            assertEquals("blk.0.ffn_gate.weight", e.subject());
        }
    }

    @Test
    void aDuplicateTokenIsRefused() throws IOException {
        List<String> tokens;
        try (GgufFile f = GgufFile.open(llama)) {
            tokens = new ArrayList<>(f.metadata().getStringArray("tokenizer.ggml.tokens"));
        }
        tokens.set(300, tokens.get(299));
        Path file = dir.resolve("dup.gguf");
        GgufRewrite.of(llama)
                .set("tokenizer.ggml.tokens", GgufValue.array(GgufArray.ofStrings(tokens)))
                .write(file);
        ModelValidationException e =
                assertThrows(ModelValidationException.class, () -> ModelValidator.validateBase(file));
        assertEquals("tokenizer.ggml.tokens[300]", e.subject());
        assertTrue(e.getMessage().contains("duplicates token 299"), e.getMessage());
    }

    @Test
    void qwen2NeedsItsAttentionBiases() throws IOException {
        Path file = dir.resolve("qwen2-as-llama.gguf");
        // a llama file declared qwen2 lacks the q/k/v biases llama.cpp requires for qwen2
        GgufRewrite.of(llama)
                .set("general.architecture", GgufValue.string("qwen2"))
                .write(file);
        ModelValidationException e =
                assertThrows(ModelValidationException.class, () -> ModelValidator.validateBase(file));
        assertTrue(e.getMessage().contains("qwen2.context_length = missing"), e.getMessage());
    }

    static Stream<Arguments> nonFiniteWeights() {
        return Stream.of(
                Arguments.of(GgmlType.F32, Float.NaN, "element 77"),
                Arguments.of(GgmlType.F32, Float.NEGATIVE_INFINITY, "element 77"),
                Arguments.of(GgmlType.F16, Float.POSITIVE_INFINITY, "element 77"),
                Arguments.of(GgmlType.F16, 1e6f, "element 77"), // beyond F16: stored as Inf
                Arguments.of(GgmlType.Q8_0, Float.NaN, "Q8_0 block 2"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("nonFiniteWeights")
    void aNonFiniteWeightIsRefusedNamingTensorAndPlace(GgmlType type, float value, String where) throws IOException {
        Path good = dir.resolve("weights-" + type + ".gguf");
        TinyModelSpec spec = TinyModelSpec.llamaDefault().withTensorType(type);
        TinyModelMaker.write(spec, good);
        float[] values;
        try (GgufFile f = GgufFile.open(good)) {
            values = f.dequantize("blk.1.attn_k.weight");
        }
        values[77] = value;
        Path file = dir.resolve("nonfinite-" + type + "-" + value + ".gguf");
        GgufRewrite.of(good).tensor("blk.1.attn_k.weight", values).write(file);
        ModelValidationException e =
                assertThrows(ModelValidationException.class, () -> ModelValidator.validateBase(file));
        assertEquals("blk.1.attn_k.weight", e.subject());
        assertTrue(e.getMessage().contains(where), e.getMessage());
        assertTrue(e.getMessage().contains("not finite"), e.getMessage());
    }

    @Test
    void aFileRewrittenInPlaceAfterPassingIsScannedAgain() throws IOException {
        Path file = dir.resolve("rewritten.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), file);
        ModelValidator.validateBase(file);
        Path bad = dir.resolve("rewritten-bad.gguf");
        GgufRewrite.of(file).set("llama.block_count", GgufValue.uint32(0)).write(bad);
        java.nio.file.Files.move(bad, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThrows(ModelValidationException.class, () -> ModelValidator.validateBase(file));
    }

    @Test
    void notAGgufFileIsAValidationError() throws IOException {
        Path file = dir.resolve("text.gguf");
        java.nio.file.Files.writeString(file, "not a model at all, just text");
        ModelValidationException e =
                assertThrows(ModelValidationException.class, () -> ModelValidator.validateBase(file));
        assertTrue(e.getMessage().contains("not a valid GGUF file"), e.getMessage());
    }

    @Test
    void aMissingOrUnexpectedTensorIsRefusedNamingIt() throws IOException {
        Path missing = dir.resolve("missing.gguf");
        GgufRewrite.of(qwen2).without("blk.1.attn_k.bias").write(missing);
        ModelValidationException e =
                assertThrows(ModelValidationException.class, () -> ModelValidator.validateBase(missing));
        assertEquals("blk.1.attn_k.bias", e.subject());
        assertTrue(e.getMessage().contains("= missing: llama.cpp needs this tensor of shape [32]"), e.getMessage());

        Path extra = dir.resolve("extra.gguf"); // declares one block, holds two
        GgufRewrite.of(llama).set("llama.block_count", GgufValue.uint32(1)).write(extra);
        e = assertThrows(ModelValidationException.class, () -> ModelValidator.validateBase(extra));
        assertTrue(e.subject().startsWith("blk.1."), e.subject());
        assertTrue(e.getMessage().contains("unexpected tensor"), e.getMessage());

        Path tied = dir.resolve("tied.gguf"); // output.weight is optional: llama.cpp ties it to token_embd
        GgufRewrite.of(llama).without("output.weight").write(tied);
        ModelValidator.validateBase(tied);
    }
}
