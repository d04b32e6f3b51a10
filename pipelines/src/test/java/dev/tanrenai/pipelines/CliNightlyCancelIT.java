package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.curate.HistoryIndex;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.pipelines.loop.NightlyExitCodes;
import dev.tanrenai.train.replay.ReplayBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline runs cancel ID} on a live run: a real {@code pipeline run nightly} in a child process,
 * cancelled from another process while it trains, exits 5 with its record cancelled at the train stage;
 * the champion did not move, no adapter was promoted and none of the batch's conversations is recorded
 * as learned (replay buffer, dedupe history, batch state).
 */
class CliNightlyCancelIT {

    @TempDir
    Path dir;

    @Test
    void aRunCancelledWhileTrainingExitsFiveAndPromotesAndLearnsNothing() throws Exception {
        Path home = dir.resolve("home");
        Path model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        CliRun.ok("models", "add", model.toString(), "--name", "tiny", "--home", home.toString());
        CliRun.ok("models", "alias", "champion", "tiny", "--reason", "start", "--home", home.toString());
        Files.writeString(
                home.resolve("config.yaml"),
                "nightly:\n  generalDocuments: 10\n  train:\n    steps: 5000\n    maxLength: 128\n"
                        + "  curate:\n    heldout: 0.25\n    dedupeThreshold: 0.99\n");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            lines.add("{\"id\":\"f" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"where does the dog number "
                    + i + " sleep\"},{\"role\":\"assistant\",\"content\":\"in the red basket " + (i % 5) + "\"}]}");
        }
        Path data = dir.resolve("chats.jsonl");
        Files.write(data, lines, StandardCharsets.UTF_8);
        CliRun.ok("import", data.toString(), "--format", "openai", "--home", home.toString());
        String championBefore = champion(home);

        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-opens=java.base/java.nio=ALL-UNNAMED",
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                        "-Dai.djl.offline=true",
                        "-cp",
                        System.getProperty("java.class.path"),
                        PipelineCli.class.getName(),
                        "run",
                        "nightly",
                        "--home",
                        home.toString(),
                        "--json")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            String id = awaitTraining(home, child, log);
            JsonNode asked = CliRun.ok("runs", "cancel", id, "--home", home.toString(), "--json")
                    .json();
            assertEquals("cancel requested", asked.at("/state").asText(), asked.toString());
            assertTrue(child.waitFor(3, TimeUnit.MINUTES), "the run stops within its stage");
            assertEquals(NightlyExitCodes.CANCELLED, child.exitValue(), Files.readString(log));

            JsonNode run = CliRun.ok("runs", "show", id, "--home", home.toString(), "--json")
                    .json();
            assertEquals("cancelled", run.at("/state").asText(), run.toString());
            assertEquals("train", run.at("/errorStage").asText(), run.toString());
            assertEquals("failed", run.at("/stages/2/state").asText(), run.toString());
            assertEquals(3, run.at("/stages").size(), "no evaluate or promote stage: " + run);
        } finally {
            child.destroyForcibly();
        }
        assertEquals(championBefore, champion(home), "nothing was promoted");
        Database db = Database.open("jdbc:sqlite:" + home.resolve("store.db"));
        assertTrue(
                ReplayBuffer.existing(db).map(b -> b.contents().isEmpty()).orElse(true),
                "nothing offered to the replay buffer");
        assertTrue(
                HistoryIndex.origins(home.resolve("index").resolve("dedupe-history"))
                        .isEmpty(),
                "nothing in the dedupe history");
        JsonNode plan = CliRun.ok("run", "nightly", "--dry-run", "--home", home.toString(), "--json")
                .json();
        assertEquals(1, plan.at("/pendingBatches").size(), "the batch is still pending: " + plan);
        assertTrue(plan.at("/newConversations").asInt() > 0, "and still new, not learned: " + plan);
        assertFalse(plan.at("/retriedConversations").asInt() > 0, "a cancel is no refusal: " + plan);
    }

    /** Waits until the child's run records its train stage running; returns the run's id. */
    private static String awaitTraining(Path home, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            assertTrue(child.isAlive(), "the run ended before it trained:\n" + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no train stage within 5 minutes:\n" + Files.readString(log));
            JsonNode runs = CliRun.ok("runs", "list", "--home", home.toString(), "--json")
                    .json();
            if (runs.size() == 1) {
                JsonNode stages = runs.at("/0/stages");
                if (stages.size() == 3
                        && "running".equals(stages.get(2).at("/state").asText())) {
                    Thread.sleep(3000); // well inside the training loop
                    return runs.at("/0/id").asText();
                }
            }
            Thread.sleep(500);
        }
    }

    private static String champion(Path home) {
        JsonNode history = CliRun.ok("models", "history", "champion", "--home", home.toString(), "--json")
                .json();
        return history.get(history.size() - 1).at("/toId").asText();
    }
}
