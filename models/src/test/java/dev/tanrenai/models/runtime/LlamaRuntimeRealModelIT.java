package dev.tanrenai.models.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.provenance.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runtime on the real stories260K model (run with {@code -Preal-model}); fails if the file is missing. */
class LlamaRuntimeRealModelIT {
    static final String SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

    private static LlamaRuntime runtime;

    static Path stories260K() throws IOException {
        String dir = System.getProperty("tanrenai.shared.models");
        if (dir == null) {
            throw new IllegalStateException("system property tanrenai.shared.models is not set (the root pom sets it)");
        }
        Path file = Path.of(dir, "stories260K.gguf");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the real-model tier needs " + file + " (see shared/models/README.md)");
        }
        String actual = Sha256.ofFile(file);
        if (!actual.equals(SHA256)) {
            throw new IllegalStateException(file + " has sha256 " + actual + ", expected " + SHA256);
        }
        return file;
    }

    @BeforeAll
    static void load() throws Exception {
        Path nativeDir = Path.of(System.getProperty("java.io.tmpdir"), "tanrenai-native");
        runtime = LlamaRuntime.load(
                RuntimeOptions.defaults(stories260K(), nativeDir).withContextLength(256));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @Test
    void tokenizesKnownText() {
        // computed once with llama.cpp b4916 on this file (SentencePiece vocab of 512)
        assertArrayEquals(new int[] {403, 407, 261, 378}, runtime.tokenize("Once upon a time"));
        assertEquals(
                "Once upon a time",
                runtime.detokenize(runtime.tokenize("Once upon a time")).strip());
    }

    @Test
    void greedyGenerationIsRepeatableAndStory() {
        GenerationRequest request = GenerationRequest.greedy("Once upon a time", 24);
        Completion first = runtime.complete(request);
        Completion second = runtime.complete(request);
        assertEquals(first.text(), second.text());
        assertEquals(FinishReason.LENGTH, first.finishReason());
        assertEquals(24, first.tokenCount());
        assertEquals(4, first.promptTokenCount());
        assertTrue(first.text().startsWith(", there was a little girl named Lily"), first.text());
    }

    @Test
    void stopStringEndsGeneration() {
        Completion c = runtime.complete(
                GenerationRequest.greedy("Once upon a time", 50).withStop(java.util.List.of("Lily")));
        assertEquals(FinishReason.STOP, c.finishReason());
        assertFalse(c.text().contains("Lily"), c.text());
        assertTrue(c.text().startsWith(", there was a little girl named"), c.text());
    }
}
