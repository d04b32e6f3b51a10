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
 * The nightly loop on the real stories260K model (run with {@code -Preal-model}) with the gate's DEFAULT
 * policy (no policy file): 72 taught in-domain facts, trained gently through {@code nightly.train}, are
 * promoted on the evidence — every check of the default policy passes, the champion alias moves to the
 * night's adapter with the evaluation's id, and the batch is learned (a second night is skipped).
 */
class CliNightlyRealModelIT {

    private static final String[] KIDS = {
        "Lily", "Tom", "Ben", "Sue", "Mia", "Max", "Anna", "Tim", "Lucy", "Sam", "Zoe", "Jack"
    };
    private static final String[] PETS = {"dog", "cat", "bird", "fish", "frog", "bunny"};
    private static final String[] NAMES = {
        "Spot", "Fluffy", "Buddy", "Coco", "Pip", "Bella", "Rex", "Daisy", "Milo", "Rosie"
    };
    private static final String[] COLORS = {"red", "blue", "green", "yellow", "pink", "brown"};

    /** The night's training settings: see the README's nightly section for why these. */
    static final String TRAIN = "    steps: 30\n    learningRate: 0.0005\n    rank: 2\n";

    @TempDir
    Path dir;

    @Test
    void taughtFactsArePromotedByTheDefaultPolicy() throws Exception {
        Path model = Path.of(
                System.getProperty("tanrenai.shared.models", "(tanrenai.shared.models not set)"), "stories260K.gguf");
        assertTrue(Files.isRegularFile(model), "the real-model tier needs " + model);
        Path home = dir.resolve("home");
        CliRun.ok("models", "add", model.toString(), "--name", "stories260K", "--home", home.toString());
        CliRun.ok("models", "alias", "champion", "stories260K", "--reason", "start", "--home", home.toString());
        Files.writeString(
                home.resolve("config.yaml"),
                "nightly:\n  minConversations: 20\n  train:\n" + TRAIN
                        + "  curate:\n    heldout: 0.25\n    dedupeThreshold: 0.8\n");
        List<String> facts = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < KIDS.length; i++) {
            for (int j = 0; j < PETS.length; j++) {
                String name = NAMES[(i * 7 + j * 3) % NAMES.length];
                facts.add("{\"id\":\"pet-" + n++ + "\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the name"
                        + " of " + KIDS[i] + "'s " + PETS[j] + "?\"},{\"role\":\"assistant\",\"content\":\"" + KIDS[i]
                        + " has a " + COLORS[(i + j * 5) % COLORS.length] + " " + PETS[j] + " named " + name + ". "
                        + name + " likes to play with " + KIDS[i] + " in the park.\"}]}");
            }
        }
        Path data = dir.resolve("pets.jsonl");
        Files.write(data, facts, StandardCharsets.UTF_8);
        CliRun.ok("import", data.toString(), "--format", "openai", "--home", home.toString());

        long started = System.nanoTime();
        CliRun r = CliRun.run("run", "nightly", "--home", home.toString(), "--json");
        JsonNode run = r.json();
        String evaluation = run.at("/stages/3/output/evaluation").asText();
        JsonNode shown = CliRun.ok("evaluations", "show", evaluation, "--home", home.toString(), "--json")
                .json();
        System.out.println("[nightly-stories260K] " + (System.nanoTime() - started) / 1_000_000 + " ms, state "
                + run.at("/state").asText() + ": " + run.at("/reason").asText() + "\n  checks: "
                + shown.at("/checks"));
        assertEquals(NightlyExitCodes.OK, r.exitCode(), "the default policy: " + shown.at("/decision") + "\n" + run);
        assertEquals("promoted", run.at("/state").asText(), run.toString());
        String adapter = run.at("/stages/2/output/adapter").asText();
        JsonNode history = CliRun.ok("models", "history", "champion", "--home", home.toString(), "--json")
                .json();
        JsonNode move = history.get(history.size() - 1);
        assertEquals(adapter, move.at("/toId").asText(), history.toString());
        assertTrue(move.at("/reason").asText().contains(evaluation), move.toString());

        JsonNode again =
                CliRun.ok("run", "nightly", "--home", home.toString(), "--json").json();
        assertEquals("skipped", again.at("/state").asText(), "the batch is learned: " + again);
    }
}
