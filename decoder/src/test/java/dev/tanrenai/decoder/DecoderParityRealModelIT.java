package dev.tanrenai.decoder;

import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.decoder.testing.Parity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL and llama.cpp agree on the real stories260K model (run with {@code -Preal-model}; fails if it is missing). */
class DecoderParityRealModelIT {

    private static final String SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

    @TempDir
    Path dir;

    private static Path stories260K() throws IOException {
        Path file = Path.of(
                System.getProperty("tanrenai.shared.models", "(tanrenai.shared.models not set)"), "stories260K.gguf");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the real-model tier needs " + file);
        }
        String actual = Sha256.ofFile(file);
        if (!actual.equals(SHA256)) {
            throw new IllegalStateException(file + " has sha256 " + actual + ", expected " + SHA256);
        }
        return file;
    }

    @Test
    void hiddenStatesAndGreedyDecodingMatch() throws Exception {
        Path model = stories260K();
        for (String text : new String[] {"Once upon a time", "The little dog ran to the park and"}) {
            Parity.checkHiddenState(model, dir.resolve("native"), text, 1e-3);
        }
        for (String prompt : new String[] {"Once upon a time", "Lily had a red ball. She", "The sun was"}) {
            Parity.checkGreedy(model, dir.resolve("native"), prompt, 64);
        }
    }
}
