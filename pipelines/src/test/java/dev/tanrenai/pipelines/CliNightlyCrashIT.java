package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.pipelines.loop.LoopStage;
import dev.tanrenai.pipelines.loop.NightlyRun;
import dev.tanrenai.pipelines.stages.HaltPoints;
import dev.tanrenai.train.replay.ReplayBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 §3/§7 with real processes: {@code pipeline run nightly} killed at every stage boundary, inside
 * training (a halt at a step, and a SIGKILL), and between the champion's move and the lineage commit,
 * each time followed by the same command (once by {@code runs resume ID}), ends with the very adapter
 * an uninterrupted run promotes (same SHA-256), one curated snapshot, and the batch offered to the
 * replay buffer exactly once.
 */
class CliNightlyCrashIT {

    @TempDir
    Path dir;

    private Path model;

    private Path seeded(String name) throws Exception {
        Path home = dir.resolve(name);
        if (model == null) {
            model = dir.resolve("tiny.gguf");
            CliRun.ok("models", "make-tiny", model.toString());
        }
        CliRun.ok("models", "add", model.toString(), "--name", "tiny", "--home", home.toString());
        CliRun.ok("models", "alias", "champion", "tiny", "--reason", "start", "--home", home.toString());
        Files.writeString(
                home.resolve("permissive.yaml"),
                "version: 1\nretention:\n  max_kl_mean: 1000\n  max_bits_per_byte_increase: 1000\n");
        Files.writeString(
                home.resolve("config.yaml"),
                "nightly:\n  policy: permissive.yaml\n  generalDocuments: 10\n  train:\n    steps: 16\n"
                        + "    learningRate: 0.005\n    maxLength: 128\n  curate:\n    heldout: 0.25\n"
                        + "    dedupeThreshold: 0.99\n");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            lines.add("{\"id\":\"f" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"where does the dog number "
                    + i + " sleep\"},{\"role\":\"assistant\",\"content\":\"in the red basket " + (i % 5) + "\"}]}");
        }
        Path data = dir.resolve(name + ".jsonl");
        Files.write(data, lines, StandardCharsets.UTF_8);
        CliRun.ok("import", data.toString(), "--format", "openai", "--home", home.toString());
        return home;
    }

    private Process child(Path home, String haltAt, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                PipelineCli.class.getName()));
        command.addAll(List.of(args.length == 0 ? new String[] {"run", "nightly"} : args));
        command.addAll(List.of("--home", home.toString(), "--json"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("child.log").toFile()));
        if (haltAt != null) {
            pb.environment().put(HaltPoints.ENV, haltAt);
        }
        return pb.start();
    }

    private int halted(Path home, String point, String... args) throws Exception {
        Process p = child(home, point, args);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child ended");
        String log = Files.readString(dir.resolve("child.log"));
        assertTrue(log.contains("halted at " + point), "reached " + point + ":\n" + log);
        return p.exitValue();
    }

    private static String championSha(Path home) {
        JsonNode history = CliRun.ok("models", "history", "champion", "--home", home.toString(), "--json")
                .json();
        String id = history.get(history.size() - 1).at("/toId").asText();
        JsonNode list =
                CliRun.ok("models", "list", "--home", home.toString(), "--json").json();
        for (JsonNode a : list.at("/adapters")) {
            if (id.equals(a.at("/id").asText())) {
                return a.at("/sha256").asText();
            }
        }
        throw new AssertionError("champion " + id + " not in " + list);
    }

    private static long metricLines(Path home) throws IOException {
        Path runs = home.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(runs)) {
            long max = 0;
            for (Path m : s.filter(p -> p.getFileName().toString().equals("metrics.jsonl"))
                    .toList()) {
                max = Math.max(max, Files.readAllLines(m).size());
            }
            return max;
        }
    }

    @Test
    void killedAtEveryStageBoundaryAndInsideTrainingTheSameCommandEndsWithTheUninterruptedAdapter() throws Exception {
        Path whole = seeded("whole");
        JsonNode w = CliRun.ok("run", "nightly", "--home", whole.toString(), "--json")
                .json();
        assertEquals("promoted", w.at("/state").asText(), w.toString());
        String expected = championSha(whole);

        Path home = seeded("killed");
        for (String point : List.of(
                NightlyRun.haltAfter(LoopStage.EXTRACT),
                NightlyRun.haltAfter(LoopStage.CURATE),
                "nightly-train-step-6")) {
            assertEquals(HaltPoints.EXIT_CODE, halted(home, point));
        }
        // a SIGKILL while training (past the resumed checkpoint)
        Process p = child(home, null);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (metricLines(home) < 10) {
            assertTrue(p.isAlive(), "ended before the kill: " + Files.readString(dir.resolve("child.log")));
            assertTrue(System.nanoTime() < deadline, "no training progress");
            Thread.sleep(10);
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));

        assertEquals(HaltPoints.EXIT_CODE, halted(home, NightlyRun.haltAfter(LoopStage.TRAIN)));
        assertEquals(HaltPoints.EXIT_CODE, halted(home, NightlyRun.haltAfter(LoopStage.EVALUATE)));
        // resume the interrupted run by its id this time
        JsonNode runs =
                CliRun.ok("runs", "list", "--home", home.toString(), "--json").json();
        String last = runs.at("/0/id").asText();
        assertEquals("running", runs.at("/0/state").asText(), "a killed run stays recorded as running until the next");
        assertEquals(HaltPoints.EXIT_CODE, halted(home, NightlyRun.HALT_PROMOTE_MOVED, "runs", "resume", last));

        JsonNode done =
                CliRun.ok("run", "nightly", "--home", home.toString(), "--json").json();
        assertEquals("promoted", done.at("/state").asText(), done.toString());
        assertEquals("reused", done.at("/stages/2/state").asText(), "training was not redone: " + done);
        assertEquals("reused", done.at("/stages/3/state").asText(), "evaluation was not redone: " + done);
        assertEquals(expected, championSha(home), "the same adapter as the uninterrupted run");

        JsonNode all =
                CliRun.ok("runs", "list", "--home", home.toString(), "--json").json();
        assertEquals(8, all.size(), all.toString());
        assertEquals("resume", all.at("/1/trigger").asText(), all.toString());
        for (int i = 1; i < all.size(); i++) {
            assertEquals(
                    "interrupted", all.get(i).at("/state").asText(), all.get(i).toString());
        }
        assertEquals(
                1,
                new SnapshotCatalog(home.resolve("datasets"))
                        .snapshotIds("curated")
                        .size());
        Database db = Database.open("jdbc:sqlite:" + home.resolve("store.db"));
        Database wholeDb = Database.open("jdbc:sqlite:" + whole.resolve("store.db"));
        assertEquals(
                ReplayBuffer.existing(wholeDb).orElseThrow().seen(),
                ReplayBuffer.existing(db).orElseThrow().seen(),
                "the batch was offered to the replay buffer exactly once");
    }
}
