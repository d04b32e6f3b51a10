package dev.tanrenai.models.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufRewrite;
import dev.tanrenai.models.gguf.GgufValue;
import dev.tanrenai.models.gguf.GgufWriter;
import dev.tanrenai.models.testing.TestGgufFiles;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link AdapterValidator} on adapters written by {@link TestGgufFiles} for a tiny llama. */
class AdapterValidatorTest {
    @TempDir
    static Path dir;

    static Path base;
    static Path good;
    static final TinyModelSpec SPEC = TinyModelSpec.llamaDefault();

    @BeforeAll
    static void write() throws IOException {
        base = dir.resolve("base.gguf");
        TinyModelMaker.write(SPEC, base);
        good = dir.resolve("good.gguf");
        TestGgufFiles.writeLoraAdapter(
                good, "llama", SPEC.blockCount(), SPEC.embeddingLength(), SPEC.feedForwardLength(), 4, 0.1f, 3);
    }

    private static ModelValidationException refused(Path adapter) {
        return assertThrows(ModelValidationException.class, () -> AdapterValidator.validate(adapter, base));
    }

    @Test
    void aTrainedLookingAdapterPasses() {
        AdapterValidator.validate(good, base);
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -70000f})
    void aNonFiniteOrAbsurdAlphaIsRefused(float alpha) throws IOException {
        Path file = dir.resolve("alpha-" + alpha + ".gguf");
        GgufRewrite.of(good).set("adapter.lora.alpha", GgufValue.float32(alpha)).write(file);
        ModelValidationException e = refused(file);
        assertEquals("adapter.lora.alpha", e.subject());
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(Double.toString(alpha)), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, 1e30f, 70000f})
    void aNonFiniteOrAbsurdFactorElementIsRefusedNamingTheTensor(float value) throws IOException {
        String tensor = "blk.1.ffn_down.weight.lora_b";
        float[] values;
        try (GgufFile f = GgufFile.open(good)) {
            values = f.dequantize(tensor);
        }
        values[5] = value;
        Path file = dir.resolve("factor-" + value + ".gguf");
        GgufRewrite.of(good).tensor(tensor, values).write(file);
        ModelValidationException e = refused(file);
        assertEquals(tensor, e.subject());
        assertTrue(e.getMessage().contains(Float.isFinite(value) ? "at most 65504" : "element 5"), e.getMessage());
    }

    @Test
    void aPairThatCanMoveAWeightBeyondTheBoundIsRefusedNamingTheBaseTensor() throws IOException {
        // every element is moderate (<= 300), but alpha/r * r * max|A| * max|B| = 1000 * 300 * 300 > 65504
        Path file = dir.resolve("product.gguf");
        String a = "blk.0.attn_q.weight.lora_a";
        String b = "blk.0.attn_q.weight.lora_b";
        float[] av = new float[SPEC.embeddingLength() * 4];
        float[] bv = new float[4 * SPEC.embeddingLength()];
        Arrays.fill(av, 300f);
        Arrays.fill(bv, 300f);
        GgufRewrite.of(good)
                .set("adapter.lora.alpha", GgufValue.float32(1000f))
                .tensor(a, av)
                .tensor(b, bv)
                .write(file);
        ModelValidationException e = refused(file);
        assertEquals("blk.0.attn_q.weight", e.subject());
        assertTrue(e.getMessage().contains("the bound is 65504"), e.getMessage());
    }

    @Test
    void shapesThatDoNotMatchTheBaseAreRefusedNamingTheTensor() throws IOException {
        Path narrow = dir.resolve("narrow.gguf"); // written for a model of width 32, base is 64
        TestGgufFiles.writeLoraAdapter(narrow, "llama", SPEC.blockCount(), 32, SPEC.feedForwardLength(), 4, 0.1f, 3);
        ModelValidationException e = refused(narrow);
        assertEquals("blk.0.attn_q.weight.lora_a", e.subject());
        assertTrue(e.getMessage().contains("expected [64, r]"), e.getMessage());

        Path deeper = dir.resolve("deeper.gguf"); // a block the base does not have
        TestGgufFiles.writeLoraAdapter(
                deeper, "llama", SPEC.blockCount() + 1, SPEC.embeddingLength(), SPEC.feedForwardLength(), 4, 0.1f, 3);
        e = refused(deeper);
        assertTrue(e.getMessage().contains("the base model has no tensor blk.2."), e.getMessage());

        Path rank = dir.resolve("rank.gguf");
        new GgufWriter()
                .putString("general.type", "adapter")
                .putString("general.architecture", "llama")
                .putString("adapter.type", "lora")
                .putFloat32("adapter.lora.alpha", 4)
                .addF32("blk.0.attn_q.weight.lora_a", new long[] {64, 4}, new float[64 * 4])
                .addF32("blk.0.attn_q.weight.lora_b", new long[] {2, 64}, new float[2 * 64])
                .write(rank);
        e = refused(rank);
        assertEquals("blk.0.attn_q.weight.lora_b", e.subject());
        assertTrue(e.getMessage().contains("expected [4, 64]"), e.getMessage());
    }

    @Test
    void incompleteOrForeignAdaptersAreRefused() throws IOException {
        Path lonely = dir.resolve("lonely.gguf");
        new GgufWriter()
                .putString("general.type", "adapter")
                .putString("general.architecture", "llama")
                .putString("adapter.type", "lora")
                .addF32("blk.0.attn_q.weight.lora_a", new long[] {64, 4}, new float[64 * 4])
                .write(lonely);
        assertEquals("blk.0.attn_q.weight.lora_b", refused(lonely).subject());

        Path suffix = dir.resolve("suffix.gguf");
        new GgufWriter()
                .putString("general.type", "adapter")
                .putString("general.architecture", "llama")
                .putString("adapter.type", "lora")
                .addF32("blk.0.attn_q.weight", new long[] {64, 64}, new float[64 * 64])
                .write(suffix);
        assertTrue(refused(suffix).getMessage().contains("must end in .lora_a or .lora_b"));

        Path qwen = dir.resolve("qwen-adapter.gguf");
        GgufRewrite.of(good)
                .set("general.architecture", GgufValue.string("qwen2"))
                .write(qwen);
        ModelValidationException e = refused(qwen);
        assertEquals("general.architecture", e.subject());
        assertTrue(e.getMessage().contains("expected 'llama'"), e.getMessage());
    }
}
