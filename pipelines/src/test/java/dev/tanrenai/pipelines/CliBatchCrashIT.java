package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotCatalog;
import dev.tanrenai.pipelines.stages.HaltPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 §3 with real processes: a {@code pipeline run curate} halted at each named point, or
 * killed with SIGKILL mid-extract and mid-curate, is finished by the next run with the very curated
 * content an uninterrupted run writes; and of two concurrent runs the second is refused naming the
 * first, which finishes undisturbed.
 */
class CliBatchCrashIT {

    private static final int CONVERSATIONS = 400;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static String expectedContent;

    @BeforeAll
    static void uninterrupted() throws Exception {
        TanrenaiHome home = new TanrenaiHome(shared.resolve("whole")).initialize();
        CliBatchResumeTest.seed(home, CONVERSATIONS);
        JsonNode r = CliRun.ok(curate(home)).json();
        expectedContent =
                DatasetSnapshot.open(Path.of(r.at("/path").asText())).manifest().contentSha256();
    }

    private static String[] curate(TanrenaiHome home) {
        return new String[] {"run", "curate", "--home", home.root().toString(), "--json"};
    }

    private TanrenaiHome seeded(String name) {
        TanrenaiHome home = new TanrenaiHome(dir.resolve(name)).initialize();
        CliBatchResumeTest.seed(home, CONVERSATIONS);
        return home;
    }

    private Process child(TanrenaiHome home, String haltAt) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp",
                System.getProperty("java.class.path"),
                PipelineCli.class.getName()));
        command.addAll(List.of(curate(home)));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(home.root().getFileName() + ".log").toFile());
        if (haltAt != null) {
            pb.environment().put(HaltPoints.ENV, haltAt);
        }
        return pb.start();
    }

    private String log(TanrenaiHome home) throws IOException {
        return Files.readString(dir.resolve(home.root().getFileName() + ".log"));
    }

    private static String latestCuratedContent(TanrenaiHome home) throws IOException {
        return new SnapshotCatalog(home.datasetsDir())
                .latest("curated")
                .orElseThrow()
                .manifest()
                .contentSha256();
    }

    @Test
    void haltedAtEachPointTheRerunCuratesTheSameContent() throws Exception {
        for (String point :
                List.of(HaltPoints.EXTRACT_WRITTEN, HaltPoints.EXTRACT_COMMITTED, HaltPoints.CURATE_WRITTEN)) {
            TanrenaiHome home = seeded(point);
            Process halted = child(home, point);
            assertTrue(halted.waitFor(5, TimeUnit.MINUTES), point);
            assertEquals(HaltPoints.EXIT_CODE, halted.exitValue(), point + ": " + log(home));
            assertTrue(log(home).contains("halted at " + point), log(home));

            JsonNode rerun = CliRun.ok(curate(home)).json();
            assertEquals(expectedContent, latestCuratedContent(home), point + ": " + rerun);
            if (point.equals(HaltPoints.CURATE_WRITTEN)) {
                assertFalse(rerun.at("/curated").asBoolean(), "the killed run had curated the batch: " + rerun);
                String latest = rerun.at("/snapshot").asText();
                Path report = home.runsDir().resolve("curate").resolve(latest);
                assertTrue(
                        Files.isRegularFile(report.resolve("report.json"))
                                && Files.readString(report.resolve("report.txt"))
                                        .contains("written train"),
                        "the report the killed run did not write is written: " + report);
            } else {
                assertTrue(rerun.at("/curated").asBoolean(), rerun.toString());
            }
        }
    }

    @Test
    void killedWithSigkillMidExtractOrMidCurateTheRerunCuratesTheSameContent() throws Exception {
        for (String stage : List.of("extract", "curate")) {
            TanrenaiHome home = seeded("sigkill-" + stage);
            Process child = child(home, null);
            Path work = home.runsDir().resolve("work");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!stageStarted(work, stage)) {
                assertTrue(child.isAlive(), "the child ended before it was killed: " + log(home));
                assertTrue(System.nanoTime() < deadline, "the child never reached " + stage);
                Thread.sleep(5);
            }
            child.destroyForcibly(); // SIGKILL: no finally, no shutdown hook, the lock row stays
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "killed by SIGKILL");

            JsonNode rerun = CliRun.ok(curate(home)).json();
            assertEquals(expectedContent, latestCuratedContent(home), stage + ": " + rerun);
            try (Stream<Path> left = Files.list(work)) {
                assertEquals(List.of(), left.toList(), "the dead run's work directory is gone");
            }
        }
    }

    @Test
    void aSecondConcurrentRunIsRefusedNamingTheFirstWhichFinishesUndisturbed() throws Exception {
        TanrenaiHome home = seeded("concurrent");
        Process first = child(home, null);
        Path work = home.runsDir().resolve("work");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!stageStarted(work, "extract")) {
            assertTrue(first.isAlive(), "the first run ended too soon: " + log(home));
            assertTrue(System.nanoTime() < deadline, "the first run never started");
            Thread.sleep(5);
        }
        CliRun second = CliRun.run(curate(home));
        assertEquals(1, second.exitCode(), second.out() + second.err());
        assertTrue(
                second.err().contains("'run curate'")
                        && second.err().contains("pid " + first.pid())
                        && second.err().contains("another run holds the 'pipeline' lock"),
                second.err());
        assertTrue(first.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, first.exitValue(), log(home));
        assertEquals(expectedContent, latestCuratedContent(home));
    }

    /** Whether a run's work directory for {@code stage} exists (the stage has started). */
    private static boolean stageStarted(Path work, String stage) throws IOException {
        if (!Files.isDirectory(work)) {
            return false;
        }
        try (Stream<Path> runs = Files.list(work)) {
            return runs.anyMatch(r -> Files.isDirectory(r.resolve(stage)));
        }
    }
}
