package dev.tanrenai.pipelines.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.pipelines.PipelineCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline serve --scheduler}: the endpoint's process fires the home's schedules with the
 * default command, {@code PipelineCli run nightly --trigger schedule --home H --json} in a child JVM,
 * and records its exit; SIGTERM stops both.
 */
class CliServeSchedulerIT {

    @TempDir
    Path home;

    private JsonNode cli(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--home", home.toString(), "--json"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PipelineCli.execute(
                all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, String.join(" ", all) + "\n" + err.toString(StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void serveHostsTheSchedulerWhichFiresTheNightlyRunInAChildProcess() throws Exception {
        Path model = home.resolve("tiny.gguf");
        int made = PipelineCli.execute(
                new String[] {"models", "make-tiny", model.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(0, made, "models make-tiny");
        cli("models", "add", model.toString(), "--alias", "champion", "--reason", "test");
        cli("schedule", "add", "nightly", "--cron", "0/2 * * * * ?");
        Path log = home.resolve("serve.out");
        Process serve = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--add-opens=java.base/java.nio=ALL-UNNAMED",
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PipelineCli.class.getName(),
                        "serve",
                        "--port",
                        "0",
                        "--scheduler",
                        "--home",
                        home.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        JsonNode fires;
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (true) {
                fires = cli("schedule", "history", "nightly");
                boolean ended = fires.size() > 0
                        && !fires.get(0).at("/outcome").asText().equals("running");
                if (ended) {
                    break;
                }
                assertTrue(serve.isAlive(), "serve exited:\n" + Files.readString(log));
                assertFalse(
                        Instant.now().isAfter(deadline),
                        "no fire ended in 90 s: " + fires + "\n" + Files.readString(log));
                Thread.sleep(500);
            }
            serve.destroy(); // SIGTERM
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), Files.readString(log));
        } finally {
            serve.destroyForcibly();
        }
        JsonNode first = fires.get(0);
        assertFalse(first.at("/exitCode").isNull(), first.toString());
        String childLog = Files.readString(Path.of(first.at("/log").asText()));
        assertTrue(
                childLog.contains(
                        "dev.tanrenai.pipelines.PipelineCli run nightly --trigger schedule --home " + home + " --json"),
                childLog);
    }
}
