package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's proof on the real stories260K model (run with {@code -Preal-model}): taught in-domain
 * facts gently, it improves on held-out facts with an interval above 0 and keeps TinyStories within
 * the default budgets, so the gate promotes; the same adapter against itself is refused for no
 * improvement without a forgetting alarm; an adapter trained on junk at a high learning rate is
 * refused, naming the retention suites with their numbers.
 */
class CliEvaluateRealModelIT {

    private static final String[] KIDS = {
        "Lily", "Tom", "Ben", "Sue", "Mia", "Max", "Anna", "Tim", "Lucy", "Sam", "Zoe", "Jack"
    };
    private static final String[] PETS = {"dog", "cat", "bird", "fish", "frog", "bunny"};
    private static final String[] NAMES = {
        "Spot", "Fluffy", "Buddy", "Coco", "Pip", "Bella", "Rex", "Daisy", "Milo", "Rosie"
    };
    private static final String[] COLORS = {"red", "blue", "green", "yellow", "pink", "brown"};

    @TempDir
    Path dir;

    private static String line(String id, String q, String a) {
        return "{\"id\":\"" + id + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + q
                + "\"},{\"role\":\"assistant\",\"content\":\"" + a + "\"}]}";
    }

    private static List<String> failed(JsonNode evaluation) {
        List<String> names = new ArrayList<>();
        evaluation.at("/checks").forEach(c -> {
            if (!c.at("/passed").asBoolean()) {
                names.add(c.at("/name").asText());
            }
        });
        return names;
    }

    @Test
    void theGatePromotesALearnerAndRefusesAWreck() throws Exception {
        Path model = Path.of(
                System.getProperty("tanrenai.shared.models", "(tanrenai.shared.models not set)"), "stories260K.gguf");
        assertTrue(Files.isRegularFile(model), "the real-model tier needs " + model);
        String home = dir.resolve("home").toString();
        List<String> facts = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < KIDS.length; i++) {
            for (int j = 0; j < PETS.length; j++) {
                String name = NAMES[(i * 7 + j * 3) % NAMES.length];
                facts.add(line(
                        "pet-" + n++,
                        "What is the name of " + KIDS[i] + "'s " + PETS[j] + "?",
                        KIDS[i] + " has a " + COLORS[(i + j * 5) % COLORS.length] + " " + PETS[j] + " named " + name
                                + ". " + name + " likes to play with " + KIDS[i] + " in the park."));
            }
        }
        Path data = dir.resolve("pets.jsonl");
        Files.write(data, facts, StandardCharsets.UTF_8);
        CliRun.ok("import", data.toString(), "--format", "openai", "--home", home);
        CliRun.ok("run", "curate", "--heldout", "0.25", "--home", home);
        String learner = CliRun.ok(
                        "run",
                        "train",
                        "--base",
                        model.toString(),
                        "--dataset",
                        "curated",
                        "--steps",
                        "30",
                        "--lr",
                        "3e-4",
                        "--rank",
                        "2",
                        "--targets",
                        "q,v",
                        "--max-len",
                        "256",
                        "--home",
                        home,
                        "--json")
                .json()
                .at("/adapter/id")
                .asText();

        JsonNode promoted = CliRun.ok("run", "evaluate", "--home", home, "--candidate", learner, "--promote", "--json")
                .json();
        assertEquals("promote", promoted.at("/decision").asText(), promoted.toString());
        JsonNode heldout = null;
        for (JsonNode c : promoted.at("/checks")) {
            if (c.at("/name").asText().equals("heldout improves")) {
                heldout = c;
            }
        }
        assertTrue(heldout != null && heldout.at("/ciHigh").asDouble() < 0, "held-out NLL fell: " + heldout);
        assertEquals(learner, promoted.at("/promoted/toId").asText());

        JsonNode same = CliRun.ok(
                        "run", "evaluate", "--home", home, "--candidate", learner, "--baseline", learner, "--json")
                .json();
        assertEquals("refuse", same.at("/decision").asText());
        assertEquals(List.of("heldout improves"), failed(same), "no improvement, and no false forgetting alarm");

        List<String> junk = new ArrayList<>();
        String[] noise = {"zq", "xv", "pfft", "qqq", "vrrm", "kz", "0x", "##", "@@", "jjj"};
        for (int i = 0; i < 60; i++) {
            StringBuilder a = new StringBuilder();
            for (int k = 0; k < 40; k++) {
                a.append(k == 0 ? "" : " ").append(noise[(i * 31 + k * 17) % noise.length]);
            }
            junk.add(line("junk-" + i, "Tell me a story (" + i + ").", a.toString()));
        }
        Path junkData = dir.resolve("junk.jsonl");
        Files.write(junkData, junk, StandardCharsets.UTF_8);
        String wreck = CliRun.ok(
                        "run",
                        "train",
                        "--base",
                        model.toString(),
                        "--conversations",
                        junkData.toString(),
                        "--steps",
                        "80",
                        "--lr",
                        "3e-2",
                        "--rank",
                        "16",
                        "--targets",
                        "q,k,v,o,gate,up,down",
                        "--max-len",
                        "256",
                        "--home",
                        home,
                        "--json")
                .json()
                .at("/adapter/id")
                .asText();
        JsonNode refused = CliRun.ok(
                        "run",
                        "evaluate",
                        "--home",
                        home,
                        "--candidate",
                        wreck,
                        "--dataset",
                        "curated",
                        "--promote",
                        "--json")
                .json();
        assertEquals("refuse", refused.at("/decision").asText());
        assertTrue(
                failed(refused).contains("general retains (bits_per_byte)"),
                failed(refused).toString());
        assertTrue(
                refused.at("/summary").asText().contains("FORGETTING"),
                refused.at("/summary").asText());
        assertTrue(refused.at("/promoted").isNull(), "nothing is promoted on a refusal");
        JsonNode champion =
                CliRun.ok("models", "list", "--home", home, "--json").json().at("/aliases/champion");
        assertEquals(learner, champion.asText(), "the champion stays the learner");
    }
}
