package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.models.gguf.GgufRewrite;
import dev.tanrenai.models.gguf.GgufValue;
import dev.tanrenai.models.gguf.GgufWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code models} and {@code generate} commands end to end, with real llama.cpp on tiny models. */
class CliModelsIT {

    @TempDir
    Path dir;

    @Test
    void makeRegisterAliasInspectAndGenerate() throws Exception {
        String home = dir.resolve("home").toString();
        Path llama = dir.resolve("llama.gguf");
        Path qwen = dir.resolve("qwen.gguf");

        JsonNode made =
                CliRun.ok("models", "make-tiny", llama.toString(), "--json").json();
        assertEquals(64, made.at("/sha256").asText().length());
        CliRun.ok("models", "make-tiny", qwen.toString(), "--arch", "qwen2", "--blocks", "1", "--seed", "7");
        CliRun exists = CliRun.run("models", "make-tiny", llama.toString());
        assertEquals(1, exists.exitCode());
        assertTrue(exists.err().contains("already exists"), exists.err());

        JsonNode added = CliRun.ok("models", "add", llama.toString(), "--home", home, "--alias", "champion", "--json")
                .json();
        String llamaId = added.at("/model/id").asText();
        assertTrue(llamaId.startsWith("m-"), llamaId);
        assertEquals(llamaId, added.at("/aliasMove/toId").asText());
        JsonNode again = CliRun.ok("models", "add", llama.toString(), "--home", home, "--json")
                .json();
        assertEquals(llamaId, again.at("/model/id").asText(), "adding the same file again is idempotent");
        String qwenId = CliRun.ok("models", "add", qwen.toString(), "--home", home, "--name", "qwen", "--json")
                .json()
                .at("/model/id")
                .asText();

        CliRun.ok("models", "alias", "challenger", "qwen", "--reason", "try qwen", "--home", home);
        CliRun conflict =
                CliRun.run("models", "alias", "champion", qwenId, "--reason", "x", "--expect", qwenId, "--home", home);
        assertEquals(1, conflict.exitCode(), "a stale --expect must fail");
        CliRun noReason = CliRun.run("models", "alias", "champion", qwenId, "--home", home);
        assertEquals(2, noReason.exitCode(), "--reason is required");

        JsonNode list = CliRun.ok("models", "list", "--home", home, "--json").json();
        assertEquals(2, list.at("/baseModels").size());
        assertEquals(llamaId, list.at("/aliases/champion").asText());
        assertEquals(qwenId, list.at("/aliases/challenger").asText());
        String listText = CliRun.ok("models", "list", "--home", home).out();
        assertTrue(listText.contains("[champion]"), listText);

        JsonNode history = CliRun.ok("models", "history", "challenger", "--home", home, "--json")
                .json();
        assertEquals(1, history.size());
        assertEquals("try qwen", history.get(0).at("/reason").asText());

        JsonNode inspect =
                CliRun.ok("models", "inspect", qwen.toString(), "--json").json();
        assertEquals("qwen2", inspect.at("/architecture").asText());
        assertEquals(1 + 1 + 1 + 12, inspect.at("/tensorCount").asInt(), "embd, norm, output + 12 per qwen2 block");
        assertTrue(inspect.at("/metadata/tokenizer.chat_template").asText().contains("<|im_start|>"));
        String inspectText = CliRun.ok("models", "inspect", llama.toString()).out();
        assertTrue(inspectText.contains("blk.1.ffn_down.weight"), inspectText);

        JsonNode first = CliRun.ok(
                        "generate",
                        "--home",
                        home,
                        "--model",
                        "champion",
                        "--prompt",
                        "Hello",
                        "--chat",
                        "--max-tokens",
                        "12",
                        "--json")
                .json();
        JsonNode second = CliRun.ok(
                        "generate",
                        "--home",
                        home,
                        "--model",
                        llama.toString(),
                        "--prompt",
                        "Hello",
                        "--chat",
                        "--max-tokens",
                        "12",
                        "--json")
                .json();
        assertEquals(12, first.at("/tokens").asInt());
        assertFalse(first.at("/text").asText().isEmpty());
        assertEquals(first.at("/text"), second.at("/text"), "greedy generation is repeatable");
        assertTrue(first.at("/prompt").asText().startsWith("<|im_start|>user\nHello<|im_end|>"));

        String streamed = CliRun.ok(
                        "generate", "--home", home, "--model", "challenger", "--prompt", "Hi", "--max-tokens", "5")
                .out();
        // the text streams first, then a status line (a token that splits a UTF-8 character is merged
        // into the next piece by llama.cpp, so the count can be below --max-tokens)
        assertTrue(
                streamed.matches("(?s).+\\n\\[(length|stop), [1-5] tokens, \\d+ prompt tokens, \\d+ ms\\]\\n"),
                streamed);
    }

    /** A LoRA adapter for the default tiny llama: every attention projection of every block, seeded. */
    private static void writeAdapter(Path file) throws Exception {
        dev.tanrenai.models.gguf.GgufWriter w = new dev.tanrenai.models.gguf.GgufWriter()
                .putString("general.type", "adapter")
                .putString("general.architecture", "llama")
                .putString("adapter.type", "lora")
                .putFloat32("adapter.lora.alpha", 4f);
        java.util.Random random = new java.util.Random(11);
        int dim = 64;
        int rank = 4;
        for (int block = 0; block < 2; block++) {
            for (String t : new String[] {"attn_q", "attn_output"}) {
                float[] a = new float[dim * rank]; // ggml [n_in=dim, r]
                float[] b = new float[rank * dim]; // ggml [r, n_out=dim]
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) random.nextGaussian();
                    b[i] = (float) random.nextGaussian();
                }
                String base = "blk." + block + "." + t + ".weight";
                w.addF32(base + ".lora_a", new long[] {dim, rank}, a);
                w.addF32(base + ".lora_b", new long[] {rank, dim}, b);
            }
        }
        w.write(file);
    }

    @Test
    void adaptersRegisterAliasAndChangeGeneration() throws Exception {
        String home = dir.resolve("home").toString();
        Path llama = dir.resolve("llama.gguf");
        Path lora = dir.resolve("lora.gguf");
        CliRun.ok("models", "make-tiny", llama.toString());
        writeAdapter(lora);
        String baseId = CliRun.ok("models", "add", llama.toString(), "--home", home, "--alias", "champion", "--json")
                .json()
                .at("/model/id")
                .asText();
        JsonNode added = CliRun.ok(
                        "models",
                        "add-adapter",
                        lora.toString(),
                        "--base",
                        "champion",
                        "--alias",
                        "challenger",
                        "--home",
                        home,
                        "--json")
                .json();
        assertEquals(baseId, added.at("/adapter/baseModelId").asText());
        assertTrue(added.at("/adapter/id").asText().startsWith("a-"));

        String[] ask = {"--home", home, "--prompt", "Hello", "--chat", "--max-tokens", "16", "--json"};
        JsonNode base = CliRun.ok(concat(new String[] {"generate", "--model", "champion"}, ask))
                .json();
        JsonNode viaAlias = CliRun.ok(concat(new String[] {"generate", "--model", "challenger"}, ask))
                .json();
        JsonNode viaFlag = CliRun.ok(
                        concat(new String[] {"generate", "--model", "champion", "--adapter", lora.toString()}, ask))
                .json();
        assertEquals(1, viaAlias.at("/adapters").size(), "the challenger alias brings its adapter");
        assertEquals(viaAlias.at("/text"), viaFlag.at("/text"), "alias and explicit adapter load the same weights");
        assertTrue(!base.at("/text").equals(viaAlias.at("/text")), "the adapter changes the output");

        CliRun baseAsAdapter =
                CliRun.run(concat(new String[] {"generate", "--model", "champion", "--adapter", "champion"}, ask));
        assertEquals(1, baseAsAdapter.exitCode());
        assertTrue(baseAsAdapter.err().contains("not an adapter"), baseAsAdapter.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badModelFilesAndReferencesGiveClearErrors() throws Exception {
        String home = dir.resolve("home").toString();
        Path junk = dir.resolve("junk.gguf");
        Files.write(junk, new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1});

        CliRun inspect = CliRun.run("models", "inspect", junk.toString());
        assertEquals(1, inspect.exitCode());
        assertTrue(inspect.err().contains(junk.toString()), inspect.err());

        CliRun add = CliRun.run("models", "add", junk.toString(), "--home", home);
        assertEquals(1, add.exitCode());
        assertTrue(add.err().contains("junk.gguf"), add.err());

        CliRun unknown = CliRun.run("generate", "--home", home, "--model", "champion", "--prompt", "x");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("champion"), unknown.err());

        CliRun missing = CliRun.run(
                "generate", "--home", home, "--model", dir.resolve("nope.gguf").toString(), "--prompt", "x");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no such model file"), missing.err());

        CliRun corrupt = CliRun.run("generate", "--home", home, "--model", junk.toString(), "--prompt", "x");
        assertEquals(1, corrupt.exitCode());
        assertTrue(corrupt.err().contains("junk.gguf"), corrupt.err());
    }

    @Test
    void modelsLlamaCppWouldAbortOnAndBrokenAdaptersAreRefused() throws Exception {
        String home = dir.resolve("home").toString();
        Path llama = dir.resolve("llama.gguf");
        CliRun.ok("models", "make-tiny", llama.toString());
        // the three files of issue 11 that passed `models add` and then aborted llama.cpp (exit 134)
        String[][] bad = {
            {"llama.block_count", "llama.block_count = 0"},
            {"llama.attention.layer_norm_rms_epsilon", "llama.attention.layer_norm_rms_epsilon = -1.0"},
            {"llama.attention.layer_norm_rms_epsilon", "llama.attention.layer_norm_rms_epsilon = NaN"}
        };
        GgufValue[] values = {GgufValue.uint32(0), GgufValue.float32(-1f), GgufValue.float32(Float.NaN)};
        for (int i = 0; i < bad.length; i++) {
            Path file = dir.resolve("bad-" + i + ".gguf");
            GgufRewrite.of(llama).set(bad[i][0], values[i]).write(file);
            CliRun add = CliRun.run("models", "add", file.toString(), "--home", home, "--alias", "champion");
            assertEquals(1, add.exitCode(), add.out() + add.err());
            assertTrue(add.err().contains("bad-" + i + ".gguf"), add.err());
            assertTrue(add.err().contains(bad[i][1]), add.err());
            CliRun generate = CliRun.run("generate", "--model", file.toString(), "--prompt", "x", "--home", home);
            assertEquals(1, generate.exitCode(), generate.out() + generate.err());
            assertTrue(generate.err().contains("refused before llama.cpp sees it: " + bad[i][1]), generate.err());
        }
        assertEquals(
                0,
                CliRun.ok("models", "list", "--home", home, "--json")
                        .json()
                        .at("/baseModels")
                        .size());

        CliRun.ok("models", "add", llama.toString(), "--home", home, "--alias", "champion");
        Path lora = dir.resolve("lora.gguf");
        writeAdapter(lora);
        String[][] adapters = {
            {"nan", "adapter.lora.alpha = NaN"},
            {"inf", "adapter.lora.alpha = Infinity"},
            {"huge", "adapter.lora.alpha = 1.0"}
        };
        float[] alphas = {Float.NaN, Float.POSITIVE_INFINITY, 1e30f};
        for (int i = 0; i < adapters.length; i++) {
            Path file = dir.resolve(adapters[i][0] + "-alpha.gguf");
            GgufRewrite.of(lora)
                    .set("adapter.lora.alpha", GgufValue.float32(alphas[i]))
                    .write(file);
            CliRun add = CliRun.run("models", "add-adapter", file.toString(), "--base", "champion", "--home", home);
            assertEquals(1, add.exitCode(), add.out() + add.err());
            assertTrue(add.err().contains(file.getFileName().toString()), add.err());
            assertTrue(add.err().contains(adapters[i][1]), add.err());
            // before: generate printed "################" with exit 0
            CliRun generate = CliRun.run(
                    "generate", "--model", "champion", "--adapter", file.toString(), "--prompt", "x", "--home", home);
            assertEquals(1, generate.exitCode(), generate.out() + generate.err());
            assertTrue(generate.err().contains(adapters[i][1]), generate.err());
        }

        Path narrow = dir.resolve("narrow.gguf"); // factors for a width-32 model; the base is 64 wide
        new GgufWriter()
                .putString("general.type", "adapter")
                .putString("general.architecture", "llama")
                .putString("adapter.type", "lora")
                .putFloat32("adapter.lora.alpha", 4f)
                .addF32("blk.0.attn_q.weight.lora_a", new long[] {32, 4}, new float[32 * 4])
                .addF32("blk.0.attn_q.weight.lora_b", new long[] {4, 32}, new float[4 * 32])
                .write(narrow);
        CliRun shape = CliRun.run("models", "add-adapter", narrow.toString(), "--base", "champion", "--home", home);
        assertEquals(1, shape.exitCode(), shape.out() + shape.err());
        assertTrue(shape.err().contains("blk.0.attn_q.weight.lora_a = shape [32, 4]"), shape.err());
        assertTrue(shape.err().contains("expected [64, r]"), shape.err());
        assertEquals(
                0,
                CliRun.ok("models", "list", "--home", home, "--json")
                        .json()
                        .at("/adapters")
                        .size());
    }
}
