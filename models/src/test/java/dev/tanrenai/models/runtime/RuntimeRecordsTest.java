package dev.tanrenai.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation of the runtime's value types and the checks that run before llama.cpp is touched. */
class RuntimeRecordsTest {
    @TempDir
    Path dir;

    @Test
    void generationRequestRejectsBadValues() {
        Duration t = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("p", 0, 0f, 1f, 1, List.of(), t));
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("p", 1, -1f, 1f, 1, List.of(), t));
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("p", 1, Float.NaN, 1f, 1, null, t));
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("p", 1, 0f, 0f, 1, List.of(), t));
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("p", 1, 0f, 1f, -1, List.of(), t));
        assertThrows(
                IllegalArgumentException.class, () -> new GenerationRequest("p", 1, 0f, 1f, 1L << 31, List.of(), t));
        assertThrows(IllegalArgumentException.class, () -> new GenerationRequest("p", 1, 0f, 1f, 1, List.of(""), t));
        assertThrows(
                IllegalArgumentException.class,
                () -> new GenerationRequest("p", 1, 0f, 1f, 1, List.of(), Duration.ZERO));
        assertEquals(List.of(), new GenerationRequest("p", 1, 0f, 1f, 1, null, t).stop());
    }

    @Test
    void runtimeOptionsValidateAndDefaultPooling() {
        Path model = dir.resolve("m.gguf");
        RuntimeOptions options = RuntimeOptions.defaults(model, dir.resolve("native"));
        assertNull(options.pooling());
        assertEquals(EmbeddingPooling.LAST, options.withEmbeddings(null).pooling());
        assertThrows(IllegalArgumentException.class, () -> options.withContextLength(8));
        assertThrows(IllegalArgumentException.class, () -> options.withThreads(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RuntimeOptions(model, List.of(), 64, 1, 1, dir, false, EmbeddingPooling.CLS, 0));
        assertThrows(IllegalArgumentException.class, () -> new LoraAdapterRef(model, Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new LoraAdapterRef(model, Float.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new LoraAdapterRef(model, Float.NaN));
        assertEquals(0f, new LoraAdapterRef(model, 0f).scale()); // no effect, still valid
        assertEquals(-0.5f, new LoraAdapterRef(model, -0.5f).scale()); // subtracts the adapter
    }

    @Test
    void filesAreCheckedBeforeLlamaCppSeesThem() throws IOException {
        Path text = dir.resolve("notes.gguf");
        Files.writeString(text, "hello, not a model");
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> ModelFileCheck.requireGguf(text, "base model"));
        assertTrue(
                e.getMessage().contains(text.toString()) && e.getMessage().contains("not a GGUF file"), e.getMessage());
        assertEquals(text, e.file());

        Path badVersion = dir.resolve("v9.gguf");
        Files.write(badVersion, new byte[] {'G', 'G', 'U', 'F', 9, 0, 0, 0, 0, 0, 0, 0});
        e = assertThrows(ModelLoadException.class, () -> ModelFileCheck.requireGguf(badVersion, "LoRA adapter"));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());

        Path directory = Files.createDirectory(dir.resolve("dir.gguf"));
        assertThrows(ModelLoadException.class, () -> ModelFileCheck.requireGguf(directory, "base model"));
    }

    @Test
    void chatRequestBodyCarriesRolesAndGenerationFlag() {
        String body = ChatTemplate.requestBody(List.of(Message.system("s"), Message.user("u \"q\"")), false);
        assertEquals(
                "{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"u \\\"q\\\"\"}],"
                        + "\"add_generation_prompt\":false}",
                body);
        assertThrows(IllegalArgumentException.class, () -> ChatTemplate.requestBody(List.of(), true));
    }
}
