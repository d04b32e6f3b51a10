package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * {@code pipeline run train} end to end on a tiny model: it learns one specific answer from a few
 * conversations, the registered adapter makes llama.cpp give it where the base does not, the
 * replay buffer feeds the next run.
 */
class CliTrainIT {

    static final String QUESTION = "What is the secret word?";
    static final String ANSWER = "The secret word is tempering.";

    @TempDir
    Path dir;

    static Path conversations(Path file, int copies) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            lines.add("{\"id\":\"secret-" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION
                    + "\"},{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"}]}");
        }
        lines.add("{\"id\":\"no-answer\",\"messages\":[{\"role\":\"user\",\"content\":\"hello?\"}]}");
        lines.add("{\"messages\":[{\"role\":\"robot\",\"content\":\"beep\"}]}"); // rejected, with a reason
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void trainsRegistersServesAndFeedsReplay() throws Exception {
        String home = dir.resolve("home").toString();
        Path model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        Path data = conversations(dir.resolve("secret.jsonl"), 3);

        String base = CliRun.ok(
                        "generate",
                        "--model",
                        model.toString(),
                        "--chat",
                        "--prompt",
                        QUESTION,
                        "--json",
                        "--home",
                        home)
                .json()
                .at("/text")
                .asText();
        assertFalse(base.startsWith(ANSWER), "the base does not know it: " + base);

        String[] train = {
            "run",
            "train",
            "--base",
            model.toString(),
            "--conversations",
            data.toString(),
            "--steps",
            "60",
            "--lr",
            "5e-3",
            "--targets",
            "q,k,v,o,gate,up,down",
            "--checkpoint-every",
            "20",
            "--home",
            home,
            "--alias",
            "challenger",
            "--json"
        };
        CliRun run = CliRun.ok(train);
        JsonNode r = run.json();
        String adapterId = r.at("/adapter/id").asText();
        assertTrue(adapterId.startsWith("a-"), adapterId);
        assertEquals(r.at("/runId").asText(), r.at("/adapter/producingRunId").asText());
        assertEquals(
                r.at("/dataset").asText(), r.at("/adapter/datasetSnapshotId").asText());
        JsonNode provenance = r.at("/adapter/provenance");
        for (String key : new String[] {
            "base.sha256",
            "dataset.contentSha256",
            "replay.share",
            "config",
            "lora",
            "seed",
            "code.version",
            "metrics.finalLoss"
        }) {
            assertTrue(provenance.has(key), "provenance has " + key + ": " + provenance);
        }
        assertEquals(4, r.at("/data/conversations").asInt(), "the rejected record is not in the snapshot");
        assertEquals(1, r.at("/data/withoutAssistantTurn").asInt());
        assertEquals(0, r.at("/data/replayBufferSize").asInt(), "the first run has no replay");
        // nothing gated it: its lineage waits for a promotion, as the nightly loop's does
        assertEquals("pending", r.at("/lineage/state").asText(), r.toString());
        assertEquals(3, r.at("/lineage/trainedOn").asInt(), r.toString());
        assertTrue(Files.isRegularFile(Path.of(r.at("/lineage/file").asText())), r.toString());
        var history = dev.tanrenai.curate.HistoryIndex.origins(
                new dev.tanrenai.datasets.home.TanrenaiHome(Path.of(home)).dedupeHistoryDir());
        assertFalse(history.containsKey(r.at("/runId").asText()), "not in curate's dedupe history: " + history);
        assertTrue(
                r.at("/metrics/finalLoss").asDouble()
                        < r.at("/metrics/firstLoss").asDouble() / 3,
                r.toString());
        assertEquals(adapterId, r.at("/aliasMove/toId").asText());
        Path runDir = Path.of(r.at("/runDir").asText());
        assertEquals(60, Files.readAllLines(runDir.resolve("metrics.jsonl")).size());
        assertTrue(Files.exists(runDir.resolve("train-run.json")));
        assertTrue(Files.exists(runDir.resolve("peft/adapter_config.json")));
        assertTrue(Files.exists(runDir.resolve("peft/adapter_model.safetensors")));
        assertTrue(Files.readString(dir.resolve("home/runs/rejects/secret.jsonl.rejects.jsonl"))
                .contains("robot"));

        String learned = CliRun.ok(
                        "generate",
                        "--model",
                        model.toString(),
                        "--adapter",
                        "challenger",
                        "--chat",
                        "--prompt",
                        QUESTION,
                        "--json",
                        "--home",
                        home)
                .json()
                .at("/text")
                .asText();
        assertTrue(learned.startsWith(ANSWER), "llama.cpp with the trained adapter says: " + learned);

        JsonNode next = CliRun.ok(
                        "run",
                        "train",
                        "--base",
                        model.toString(),
                        "--conversations",
                        CliRunData.demo(dir).toString(),
                        "--steps",
                        "5",
                        "--continue-from",
                        "challenger",
                        "--replay-ratio",
                        "0.1",
                        "--home",
                        home,
                        "--json")
                .json();
        assertEquals(
                0,
                next.at("/data/replayBufferSize").asInt(),
                "an adapter nobody promoted fed no replay buffer: " + next);
        assertEquals(
                r.at("/adapter/sha256").asText(),
                next.at("/adapter/provenance/continueFrom.sha256").asText());
    }

    @Test
    void badArgumentsFailWithClearMessages() throws Exception {
        String home = dir.resolve("home").toString();
        Path model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        CliRun missing =
                CliRun.run("run", "train", "--base", model.toString(), "--conversations", "nope.jsonl", "--home", home);
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("nope.jsonl"), missing.err());
        CliRun both = CliRun.run(
                "run",
                "train",
                "--base",
                model.toString(),
                "--conversations",
                "a.jsonl",
                "--dataset",
                "x",
                "--home",
                home);
        assertEquals(2, both.exitCode(), "--dataset and --conversations exclude each other");
        CliRun target = CliRun.run(
                "run",
                "train",
                "--base",
                model.toString(),
                "--conversations",
                conversations(dir.resolve("c.jsonl"), 1).toString(),
                "--targets",
                "q,lm_head",
                "--home",
                home);
        assertEquals(1, target.exitCode());
        assertTrue(target.err().contains("unknown LoRA target 'lm_head'"), target.err());
    }
}
