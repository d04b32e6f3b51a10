package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline bench evaluate} in miniature (the tiny model and stories260K as {@code --model}, short
 * sequences, two rounds): every model gets medians over the rounds, computed from the per-round figures,
 * each round records the load average, and the sequences are scored side by side. A real-model tier test
 * because it takes about a minute (the matmul peak, two models, the cached-champion evaluations).
 */
class CliBenchEvaluateRealModelIT {

    @TempDir
    Path dir;

    @Test
    void mediansOverRoundsForEveryModelIncludingTheExtraOne() throws Exception {
        Path extra = Path.of(
                System.getProperty("tanrenai.shared.models", "(tanrenai.shared.models not set)"), "stories260K.gguf");
        assertTrue(Files.isRegularFile(extra), "the real-model tier needs " + extra);
        JsonNode json = CliRun.ok(
                        "bench",
                        "evaluate",
                        "--skip-large",
                        "--model",
                        extra.toString(),
                        "--rounds",
                        "2",
                        "--passes",
                        "1",
                        "--warmup",
                        "0",
                        "--train-warmup",
                        "0.2",
                        "--sequences",
                        "3",
                        "--seq-len",
                        "64",
                        "--conversations",
                        "4",
                        "--documents",
                        "4",
                        "--json",
                        "--home",
                        dir.resolve("home").toString())
                .json();
        assertEquals(0.2, json.get("trainWarmupSeconds").asDouble());
        JsonNode rounds = json.get("models");
        assertEquals(4, rounds.size(), "two models, two rounds each");
        JsonNode medians = json.get("medians");
        assertEquals(2, medians.size());
        assertEquals("stories260K.gguf", medians.get(1).get("model").asText());
        for (int m = 0; m < 2; m++) {
            double[] fp32 = new double[2];
            double[] training = new double[2];
            for (int r = 0; r < 2; r++) {
                JsonNode round = rounds.get(2 * m + r);
                assertEquals(r + 1, round.get("round").asInt());
                assertTrue(
                        round.get("loadAverageBefore").asText().matches("[0-9.]+ [0-9.]+ [0-9.]+"), round.toString());
                JsonNode forward = round.get("forward");
                assertEquals(3, forward.get("sequencesPerPass").asInt(), "three sequences of 64 side by side");
                training[r] = round.get("train").get("tokensPerSecond").asDouble();
                for (JsonNode p : forward.get("passes")) {
                    if (p.get("mode").asText().equals("forward")
                            && p.get("precision").asText().equals("FLOAT32")) {
                        fp32[r] = p.get("tokensPerSecond").asDouble() / training[r];
                    }
                }
                assertTrue(fp32[r] > 0, round.toString());
            }
            JsonNode s = medians.get(m);
            assertEquals(2, s.get("rounds").asInt());
            // the median of two is their mean
            assertEquals(
                    (fp32[0] + fp32[1]) / 2, s.get("fp32OverTrainingMedian").asDouble(), 1e-9);
            assertEquals(
                    (training[0] + training[1]) / 2,
                    s.get("trainingTokensPerSecondMedian").asDouble(),
                    1e-6);
        }
        assertTrue(Files.isDirectory(dir.resolve("home").resolve("bench")));
    }
}
