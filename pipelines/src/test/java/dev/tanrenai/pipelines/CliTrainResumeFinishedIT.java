package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run train --resume} when the newest checkpoint is the final step: a run stopped after its
 * last checkpoint but before the adapter was registered is finished (exported and registered, the
 * same adapter an uninterrupted run gives); a run that was already registered is reported complete
 * with its adapter's id, and the replay buffer is not fed twice. A damaged final checkpoint is
 * reported and the run finished from the one before, to the same adapter.
 */
class CliTrainResumeFinishedIT {

    @TempDir
    Path dir;

    private static String[] train(Path home, Path model, Path data, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "run",
                "train",
                "--base",
                model.toString(),
                "--conversations",
                data.toString(),
                "--steps",
                "6",
                "--checkpoint-every",
                "3",
                "--replay-ratio",
                "0",
                "--home",
                home.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aResumeAtTheFinalStepFinishesTheRunOrReportsItComplete() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        Path data = CliTrainIT.conversations(dir.resolve("secret.jsonl"), 3);

        Path whole = dir.resolve("whole");
        JsonNode first = CliRun.ok(train(whole, model, data, "--json")).json();
        String adapterId = first.at("/adapter/id").asText();
        String runId = first.at("/runId").asText();

        // A run killed after its final checkpoint, before the export and the registration.
        Path killed = dir.resolve("killed");
        Path runDir = Files.createDirectories(killed.resolve("runs").resolve(runId));
        Path checkpoints = Files.createDirectories(runDir.resolve("checkpoints"));
        try (Stream<Path> files =
                Files.list(Path.of(first.at("/runDir").asText()).resolve("checkpoints"))) {
            for (Path f : files.toList()) {
                Files.copy(f, checkpoints.resolve(f.getFileName()));
            }
        }
        Files.copy(Path.of(first.at("/runDir").asText()).resolve("metrics.jsonl"), runDir.resolve("metrics.jsonl"));

        // The same, with a bit flipped in the final checkpoint: reported, and the run finished from step 3.
        Path damaged = dir.resolve("damaged");
        Path damagedCheckpoints =
                Files.createDirectories(damaged.resolve("runs").resolve(runId).resolve("checkpoints"));
        try (Stream<Path> files = Files.list(checkpoints)) {
            for (Path f : files.toList()) {
                Files.copy(f, damagedCheckpoints.resolve(f.getFileName()));
            }
        }
        Path last = damagedCheckpoints.resolve("step-00000006.gguf");
        byte[] bytes = Files.readAllBytes(last);
        bytes[bytes.length - 2] ^= 0x10;
        Files.write(last, bytes);
        CliRun repaired = CliRun.ok(train(damaged, model, data, "--resume"));
        assertTrue(
                repaired.out().contains("checkpoint skipped (an older one was used): " + last + ": checksum mismatch"),
                repaired.out());
        assertTrue(repaired.out().contains("(resumed at step 3)"), repaired.out());
        assertTrue(repaired.out().contains("adapter  " + adapterId), "the very adapter: " + repaired.out());
        assertTrue(repaired.out().contains("lineage  pending"), repaired.out());

        JsonNode finished =
                CliRun.ok(train(killed, model, data, "--resume", "--json")).json();
        assertEquals(runId, finished.at("/runId").asText());
        assertEquals(adapterId, finished.at("/adapter/id").asText(), "the very adapter of the uninterrupted run");
        assertEquals(6, finished.at("/metrics/resumedFromStep").asInt());
        assertEquals("pending", finished.at("/lineage/state").asText(), "finishing feeds no lineage before promotion");
        assertEquals(3, finished.at("/lineage/trainedOn").asInt(), finished.toString());
        assertEquals(false, finished.at("/alreadyComplete").asBoolean(true), finished.toString());
        assertEquals(6, Files.readAllLines(runDir.resolve("metrics.jsonl")).size());

        CliRun again = CliRun.ok(train(killed, model, data, "--resume"));
        assertTrue(
                again.out().contains("run " + runId + " was already complete at step 6 of 6: adapter " + adapterId),
                again.out());
        JsonNode againJson =
                CliRun.ok(train(killed, model, data, "--resume", "--json")).json();
        assertEquals(true, againJson.at("/alreadyComplete").asBoolean(false), againJson.toString());
        assertEquals(adapterId, againJson.at("/adapter/id").asText());
        assertEquals(3, againJson.at("/lineage/trainedOn").asInt(), againJson.toString());
    }
}
