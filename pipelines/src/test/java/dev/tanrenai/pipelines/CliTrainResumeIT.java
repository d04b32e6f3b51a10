package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed with SIGKILL part-way is resumed by {@code --resume} in another
 * process from its last checkpoint, and ends with the very adapter (same SHA-256) an uninterrupted
 * run gives.
 */
class CliTrainResumeIT {

    private static final int STEPS = 160;

    @TempDir
    Path dir;

    private String[] train(Path home, Path model, Path data, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "run",
                "train",
                "--base",
                model.toString(),
                "--conversations",
                data.toString(),
                "--steps",
                Integer.toString(STEPS),
                "--lr",
                "2e-3",
                "--dropout",
                "0.05",
                "--checkpoint-every",
                "10",
                "--home",
                home.toString(),
                "--json"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aKilledRunResumesInAnotherProcessToTheSameAdapter() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        CliRun.ok("models", "make-tiny", model.toString());
        Path data = CliRunData.demo(dir);
        Path killedHome = dir.resolve("killed");

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                PipelineCli.class.getName()));
        command.addAll(List.of(train(killedHome, model, data)));
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        Path runs = killedHome.resolve("runs");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (stepsDone(runs) < 45) {
            assertTrue(
                    child.isAlive(),
                    "the child ended before it was killed: " + Files.readString(dir.resolve("child.log")));
            assertTrue(System.nanoTime() < deadline, "the child made no progress");
            Thread.sleep(10);
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        int killedAt = stepsDone(runs);
        assertTrue(killedAt < STEPS, "killed part-way, at step " + killedAt);

        JsonNode resumed = CliRun.ok(train(killedHome, model, data, "--resume")).json();
        int from = resumed.at("/metrics/resumedFromStep").asInt();
        assertTrue(from >= 40 && from <= killedAt && from % 10 == 0, "resumed from checkpoint " + from);
        assertEquals(
                STEPS,
                Files.readAllLines(Path.of(resumed.at("/runDir").asText()).resolve("metrics.jsonl"))
                        .size());

        JsonNode whole = CliRun.ok(train(dir.resolve("whole"), model, data)).json();
        assertEquals(whole.at("/runId").asText(), resumed.at("/runId").asText(), "the same run");
        assertEquals(
                whole.at("/adapter/sha256").asText(),
                resumed.at("/adapter/sha256").asText(),
                "bit-identical adapter after a kill and a resume in another process");
    }

    private static int stepsDone(Path runs) throws Exception {
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        try (var dirs = Files.list(runs)) {
            for (Path run : dirs.toList()) {
                Path metrics = run.resolve("metrics.jsonl");
                if (Files.exists(metrics)) {
                    return (int) Files.readAllLines(metrics).stream()
                            .filter(l -> l.endsWith("}"))
                            .count();
                }
            }
        }
        return 0;
    }
}
