package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.pipelines.loop.NightlyExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: a nightly run that promotes in {@code ab} mode points the challenger alias at its adapter and
 * starts the online A/B experiment of it against the unchanged champion, with the configured share.
 * A whole nightly run (about a minute here): the slow tier ({@code -Pslow}).
 */
class CliNightlyAbSlowIT {

    @TempDir
    Path dir;

    @Test
    void aPromotionInAbModeStartsTheOnlineExperiment() throws Exception {
        String home = dir.resolve("home").toString();
        Path model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        CliRun.ok("models", "add", model.toString(), "--name", "tiny", "--home", home);
        CliRun.ok("models", "alias", "champion", "tiny", "--reason", "the base to start from", "--home", home);
        Files.writeString(
                dir.resolve("home").resolve("permissive.yaml"),
                "version: 1\nretention:\n  max_kl_mean: 1000\n  max_bits_per_byte_increase: 1000\n");
        Files.writeString(
                dir.resolve("home").resolve("config.yaml"),
                "nightly:\n  minConversations: 10\n  policy: permissive.yaml\n  promotion: ab\n  abShare: 0.25\n"
                        + "  generalDocuments: 20\n  train:\n    steps: 30\n    learningRate: 0.005\n    maxLength: 128\n"
                        + "  curate:\n    heldout: 0.25\n    dedupeThreshold: 0.99\n");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            lines.add("{\"id\":\"fact" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"where does the "
                    + "dog number " + i + " sleep\"},{\"role\":\"assistant\",\"content\":\"the dog sleeps in the red"
                    + " basket " + (i % 5) + "\"}]}");
        }
        Path data = dir.resolve("facts.jsonl");
        Files.write(data, lines, StandardCharsets.UTF_8);
        CliRun.ok("import", data.toString(), "--format", "openai", "--home", home);
        assertTrue(CliRun.ok("ab", "status", "--home", home, "--json")
                .json()
                .at("/experiment")
                .isNull());
        String championBefore = champion(home);

        CliRun r = CliRun.run("run", "nightly", "--home", home, "--json");
        assertEquals(NightlyExitCodes.OK, r.exitCode(), r.out() + r.err());
        JsonNode run = r.json();
        assertEquals("promoted", run.at("/state").asText(), run.toString());
        String adapter = run.at("/stages/2/output/adapter").asText();
        String experiment = run.at("/stages/4/output/experiment").asText();
        assertEquals(championBefore, champion(home), "ab mode leaves the champion alias alone");
        JsonNode status = CliRun.ok("ab", "status", "--home", home, "--json").json();
        assertEquals(experiment, status.at("/experiment/id").asText(), status.toString());
        assertEquals("running", status.at("/experiment/status").asText());
        assertEquals(adapter, status.at("/experiment/challenger").asText());
        assertEquals(championBefore, status.at("/experiment/champion").asText());
        assertEquals(0.25, status.at("/experiment/share").asDouble());
        assertTrue(
                status.at("/experiment/startedBy")
                        .asText()
                        .contains(run.at("/id").asText()),
                status.toString());
        assertEquals("continue", status.at("/current/decision").asText(), status.toString());
    }

    private static String champion(String home) {
        JsonNode history = CliRun.ok("models", "history", "champion", "--home", home, "--json")
                .json();
        return history.get(history.size() - 1).at("/toId").asText();
    }
}
