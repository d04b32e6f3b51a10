package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.pipelines.evaluate.RunEvaluateCommand;
import dev.tanrenai.train.replay.ReplayBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline run evaluate} end to end on a tiny generated model: import, curate (held-out split),
 * train a challenger, evaluate it against the base; the decision in JSON with its checks, the reports,
 * the store's list and show, the champion moved only on promote, and bad input as clear errors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliEvaluateIT {

    @TempDir
    static Path dir;

    private static String home;
    private static Path model;

    @BeforeAll
    static void trainAChallenger() throws Exception {
        home = dir.resolve("home").toString();
        model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        CliRun.ok("models", "add", model.toString(), "--name", "tiny", "--home", home);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add("{\"id\":\"c" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello the world " + i
                    + "\"},{\"role\":\"assistant\",\"content\":\"the world is good " + (i % 4) + "\"}]}");
        }
        Path data = dir.resolve("chats.jsonl");
        Files.write(data, lines, StandardCharsets.UTF_8);
        CliRun.ok("import", data.toString(), "--format", "openai", "--home", home);
        CliRun.ok("run", "curate", "--heldout", "0.25", "--dedupe-threshold", "0.99", "--home", home);
        CliRun.ok(
                "run",
                "train",
                "--base",
                "tiny",
                "--dataset",
                "curated",
                "--steps",
                "30",
                "--lr",
                "5e-3",
                "--max-len",
                "128",
                "--alias",
                "challenger",
                "--home",
                home,
                "--json");
    }

    @Test
    @Order(1)
    void evaluatesTheChallengerAgainstTheBaseAndRecordsIt() throws Exception {
        JsonNode r = CliRun.ok("run", "evaluate", "--home", home, "--general-documents", "40", "--json")
                .json();
        String decision = r.at("/decision").asText();
        assertTrue(decision.equals("promote") || decision.equals("refuse"), r.toString());
        List<String> names = new ArrayList<>();
        r.at("/checks").forEach(c -> names.add(c.at("/name").asText()));
        assertTrue(names.contains("heldout improves"), names.toString());
        assertTrue(names.contains("general retains (bits_per_byte)"), names.toString());
        for (JsonNode c : r.at("/checks")) {
            assertFalse(c.at("/reason").asText().isBlank(), c.toString());
        }
        Path reportDir = Path.of(r.at("/reportDir").asText());
        assertTrue(Files.readString(reportDir.resolve("report.html")).contains("<svg"));
        assertTrue(Files.readString(reportDir.resolve("summary.md")).contains(decision.toUpperCase()));

        String id = r.at("/id").asText();
        JsonNode listed =
                CliRun.ok("evaluations", "list", "--home", home, "--json").json();
        assertEquals(id, listed.at("/0/id").asText());
        JsonNode shown =
                CliRun.ok("evaluations", "show", id, "--home", home, "--json").json();
        assertEquals(decision, shown.at("/decision").asText());
        assertTrue(shown.at("/provenance/codeVersion").isTextual());
        assertEquals("fp32", shown.at("/provenance/scoring/precision").asText(), shown.toString());

        // the second evaluation of the same challenger scores nothing again
        JsonNode again = CliRun.ok("run", "evaluate", "--home", home, "--general-documents", "40", "--json")
                .json();
        assertEquals(0, again.at("/scoredTokens").asLong());
        assertEquals(r.at("/checks"), again.at("/checks"));
    }

    @Test
    @Order(2)
    void anIdenticalCandidateIsRefusedAndTheChampionDoesNotMove() {
        CliRun refused = CliRun.run(
                "run",
                "evaluate",
                "--home",
                home,
                "--candidate",
                "challenger",
                "--baseline",
                "challenger",
                "--general-documents",
                "20",
                "--promote",
                "--exit-code",
                "--json");
        // --promote with a baseline other than the champion is refused before anything is scored
        assertEquals(1, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("not the champion"), refused.err());

        CliRun same = CliRun.run(
                "run",
                "evaluate",
                "--home",
                home,
                "--candidate",
                "challenger",
                "--baseline",
                "challenger",
                "--general-documents",
                "20",
                "--exit-code",
                "--json");
        assertEquals(RunEvaluateCommand.EXIT_REFUSED, same.exitCode(), same.err());
        JsonNode j = same.json();
        assertEquals("refuse", j.at("/decision").asText());
        List<String> failed = new ArrayList<>();
        j.at("/checks").forEach(c -> {
            if (!c.at("/passed").asBoolean()) {
                failed.add(c.at("/name").asText());
            }
        });
        assertEquals(List.of("heldout improves"), failed, "no improvement, and no false forgetting alarm");

        // in bf16 nothing comes from the fp32 cache entries, and an identical candidate still differs by 0
        CliRun bf16 = CliRun.run(
                "run",
                "evaluate",
                "--home",
                home,
                "--candidate",
                "challenger",
                "--baseline",
                "challenger",
                "--general-documents",
                "20",
                "--precision",
                "bf16",
                "--exit-code",
                "--json");
        assertEquals(RunEvaluateCommand.EXIT_REFUSED, bf16.exitCode(), bf16.err());
        JsonNode b = bf16.json();
        assertTrue(b.at("/scoredTokens").asLong() > 0, "bf16 scores are not the fp32 ones: " + b);
        List<String> failedBf16 = new ArrayList<>();
        b.at("/checks").forEach(c -> {
            if (!c.at("/passed").asBoolean()) {
                failedBf16.add(c.at("/name").asText());
            }
        });
        assertEquals(List.of("heldout improves"), failedBf16, "bf16: no improvement, and no false forgetting alarm");
        JsonNode shown = CliRun.ok("evaluations", "show", b.at("/id").asText(), "--home", home, "--json")
                .json();
        assertEquals("bf16", shown.at("/provenance/scoring/precision").asText(), shown.toString());
    }

    @Test
    @Order(4)
    void aForcedPromotionNeedsAReasonAndMovesTheChampionRecordedAsForced() {
        CliRun noReason = CliRun.run("run", "evaluate", "--home", home, "--force");
        assertEquals(2, noReason.exitCode());
        assertTrue(noReason.err().contains("--force needs --reason"), noReason.err());

        Database db = Database.open("jdbc:sqlite:" + dir.resolve("home").resolve("store.db"));
        assertEquals(
                List.of(),
                ReplayBuffer.existing(db).orElseThrow().contents(),
                "run train fed nothing: its lineage waits for the promotion");
        JsonNode forced = CliRun.ok(
                        "run",
                        "evaluate",
                        "--home",
                        home,
                        "--general-documents",
                        "20",
                        "--force",
                        "--reason",
                        "the team read the answers by hand",
                        "--json")
                .json();
        assertEquals("promote", forced.at("/decision").asText());
        assertTrue(forced.at("/forced").asBoolean());
        String challenger = forced.at("/promoted/toId").asText();
        assertTrue(challenger.startsWith("a-"), forced.toString());
        int learned = forced.at("/lineage/conversations").asInt();
        assertTrue(learned > 0, "the promotion commits the adapter's lineage: " + forced);
        assertEquals(learned, forced.at("/lineage/replayKept").asInt(), forced.toString());
        assertEquals(learned, ReplayBuffer.existing(db).orElseThrow().contents().size());
        JsonNode history = CliRun.ok("models", "history", "champion", "--home", home, "--json")
                .json();
        assertTrue(history.toString().contains("forced: the team read the answers by hand"), history.toString());
    }

    @Test
    @Order(3)
    void badInputIsAClearErrorAndRecordsNothing() throws Exception {
        int before = CliRun.ok("evaluations", "list", "--home", home, "--json")
                .json()
                .size();
        CliRun unknown = CliRun.run("run", "evaluate", "--home", home, "--candidate", "no-such-adapter");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("--candidate"), unknown.err());

        CliRun missing = CliRun.run(
                "run",
                "evaluate",
                "--home",
                home,
                "--general",
                dir.resolve("nope.txt").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("nope.txt"), missing.err());

        CliRun precision = CliRun.run("run", "evaluate", "--home", home, "--precision", "fp16");
        assertTrue(precision.exitCode() != 0, precision.err());
        assertTrue(precision.err().contains("unknown precision 'fp16': expected one of [fp32, bf16]"), precision.err());

        CliRun task = CliRun.run("run", "evaluate", "--home", home, "--tasks", "no_such_task");
        assertEquals(1, task.exitCode());
        assertTrue(task.err().contains("neither a task file nor a bundled task"), task.err());

        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\nheldout:\n  min_improvment: 0.1\n");
        CliRun badPolicy = CliRun.run("run", "evaluate", "--home", home, "--policy", policy.toString());
        assertEquals(1, badPolicy.exitCode());
        assertTrue(badPolicy.err().contains("line 3: heldout.min_improvment: unknown setting"), badPolicy.err());

        Path otherBase = dir.resolve("other.gguf");
        CliRun.ok("models", "make-tiny", otherBase.toString(), "--seed", "77");
        CliRun.ok("models", "add", otherBase.toString(), "--name", "other", "--home", home);
        CliRun otherBaseline = CliRun.run("run", "evaluate", "--home", home, "--baseline", "other");
        assertEquals(1, otherBaseline.exitCode());
        assertTrue(otherBaseline.err().contains("cannot be compared"), otherBaseline.err());

        assertEquals(
                before,
                CliRun.ok("evaluations", "list", "--home", home, "--json")
                        .json()
                        .size());
    }
}
