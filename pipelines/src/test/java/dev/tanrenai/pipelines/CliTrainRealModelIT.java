package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.provenance.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning proof on the real stories260K model (run with {@code -Preal-model}; fails when the
 * file is missing): after {@code pipeline run train} on a few conversations, llama.cpp with the
 * trained adapter gives the taught answer, which the story model alone never does.
 */
class CliTrainRealModelIT {

    private static final String SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

    @TempDir
    Path dir;

    @Test
    void storiesLearnsTheAnswer() throws Exception {
        Path model = Path.of(
                System.getProperty("tanrenai.shared.models", "(tanrenai.shared.models not set)"), "stories260K.gguf");
        assertTrue(Files.isRegularFile(model), "the real-model tier needs " + model);
        assertEquals(SHA256, Sha256.ofFile(model));
        String home = dir.resolve("home").toString();
        Path data = CliTrainIT.conversations(dir.resolve("secret.jsonl"), 4);
        String[] ask = {
            "generate", "--model", model.toString(), "--chat", "--prompt", CliTrainIT.QUESTION, "--json", "--home", home
        };

        String before = CliRun.ok(ask).json().at("/text").asText();
        assertFalse(before.startsWith(CliTrainIT.ANSWER), "the story model does not know it: " + before);

        JsonNode run = CliRun.ok(
                        "run",
                        "train",
                        "--base",
                        model.toString(),
                        "--conversations",
                        data.toString(),
                        "--steps",
                        "150",
                        "--lr",
                        "5e-3",
                        "--rank",
                        "16",
                        "--targets",
                        "q,k,v,o,gate,up,down",
                        "--alias",
                        "challenger",
                        "--home",
                        home,
                        "--json")
                .json();
        assertTrue(
                run.at("/metrics/finalLoss").asDouble()
                        < run.at("/metrics/firstLoss").asDouble() / 4,
                run.toString());

        String after = CliRun.ok(append(ask, "--adapter", "challenger"))
                .json()
                .at("/text")
                .asText();
        assertTrue(after.startsWith(CliTrainIT.ANSWER), "stories260K with the trained adapter says: " + after);
    }

    private static String[] append(String[] args, String... more) {
        String[] out = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }
}
