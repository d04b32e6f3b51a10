package dev.tanrenai.models.tiny;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import dev.tanrenai.models.gguf.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Loads tiny models of both architectures in the real llama.cpp (java-llama.cpp 4.2.0). */
class TinyModelLlamaCppIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void nativeTempDirExists() throws IOException {
        // de.kherud.llama extracts its native library into java.io.tmpdir
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static List<TinyModelSpec> specs() {
        return List.of(
                TinyModelSpec.llamaDefault(),
                TinyModelSpec.qwen2Default(),
                TinyModelSpec.llamaDefault().withTensorType(GgmlType.Q8_0),
                TinyModelSpec.qwen2Default().withTensorType(GgmlType.F16));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void loadsGeneratesAndTokenizes(TinyModelSpec spec) throws IOException {
        Path file = dir.resolve(spec.architecture().ggufName() + "-" + spec.tensorType() + ".gguf");
        TinyModelMaker.write(spec, file);
        ModelParameters params = new ModelParameters()
                .setModel(file.toString())
                .setCtxSize(256)
                .setThreads(2)
                .setThreadsBatch(2);
        List<String> first;
        try (LlamaModel model = new LlamaModel(params)) {
            first = generate(model);
            List<String> second = generate(model);
            assertFalse(first.isEmpty(), "a random tiny model must produce tokens");
            assertEquals(first, second, "temperature 0 with a seed must repeat exactly");

            String text = "<|im_start|>user\nHello the world is good<|im_end|>";
            int[] ids = model.encode(text);
            assertEquals(TinyVocab.IM_START_ID, ids[0], "ChatML start must be one control token");
            assertTrue(contains(ids, TinyVocab.IM_END_ID), "ChatML end must be one control token");
            assertTrue(ids.length < text.length(), "merged pieces must shorten the token sequence");
            assertEquals(text, model.decode(ids));
            assertArrayEquals(ids, model.encode(model.decode(ids)));

            String rendered = model.applyTemplate(
                    new InferenceParameters("").setMessages("You are tiny.", List.of(new Pair<>("user", "Hi"))));
            assertEquals(
                    "<|im_start|>system\nYou are tiny.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                            + "<|im_start|>assistant\n",
                    rendered);
        }
        try (LlamaModel reloaded = new LlamaModel(params)) {
            assertEquals(first, generate(reloaded), "a fresh load of the same file must generate the same text");
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void imEndEndsGeneration(TinyModelSpec spec) throws IOException {
        Path file = dir.resolve("eog-" + spec.architecture().ggufName() + "-" + spec.tensorType() + ".gguf");
        TinyModelMaker.write(spec, file);
        ModelParameters params =
                new ModelParameters().setModel(file.toString()).setCtxSize(256).setThreads(2);
        int pieceA = TinyVocab.ofSize(spec.vocabSize()).tokens().indexOf("a");
        try (LlamaModel model = new LlamaModel(params)) {
            // forcing a normal token: generation runs to nPredict
            assertEquals("a".repeat(16), String.join("", generate(model, Map.of(pieceA, 100f))));
            // forcing <|im_end|>: llama.cpp treats it as end-of-generation (eot) and stops at once
            List<String> stopped = generate(model, Map.of(TinyVocab.IM_END_ID, 100f));
            assertEquals("", String.join("", stopped), "generation must stop at <|im_end|>");
            // the binding reports the (empty) end token and a final stop message, nothing more
            assertTrue(stopped.size() <= 2, "no tokens after <|im_end|>: " + stopped);
        }
    }

    private static List<String> generate(LlamaModel model, Map<Integer, Float> bias) {
        InferenceParameters inference = new InferenceParameters(
                        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
                .setTemperature(0f)
                .setSeed(7)
                .setNPredict(16)
                .setCachePrompt(false)
                .setTokenIdBias(bias);
        List<String> pieces = new ArrayList<>();
        for (LlamaOutput output : model.generate(inference)) {
            pieces.add(output.text);
        }
        return pieces;
    }

    private static List<String> generate(LlamaModel model) {
        InferenceParameters inference = new InferenceParameters(
                        "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n")
                .setTemperature(0f)
                .setSeed(7)
                .setNPredict(16)
                // with the prompt cache on, a repeated request on the same model gave different greedy text
                .setCachePrompt(false);
        List<String> pieces = new ArrayList<>();
        for (LlamaOutput output : model.generate(inference)) {
            pieces.add(output.text);
        }
        return pieces;
    }

    private static boolean contains(int[] ids, int id) {
        for (int v : ids) {
            if (v == id) {
                return true;
            }
        }
        return false;
    }
}
