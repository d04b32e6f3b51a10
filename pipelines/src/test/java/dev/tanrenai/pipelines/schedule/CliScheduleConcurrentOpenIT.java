package dev.tanrenai.pipelines.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.pipelines.PipelineCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code pipeline schedule add} processes started at the same moment on a fresh home all open
 * the embedded job store (H2 decides which process serves the file; the others must wait for it and
 * connect through it, not fail with "Lock file recently modified").
 */
class CliScheduleConcurrentOpenIT {

    private static final int PROCESSES = 4;

    @TempDir
    Path home;

    @Test
    void processesOpeningTheJobStoreAtOnceAllSucceed() throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            processes.add(new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                            "-cp",
                            System.getProperty("java.class.path"),
                            PipelineCli.class.getName(),
                            "schedule",
                            "add",
                            "s" + i,
                            "--cron",
                            "0 0 3 * * ?",
                            "--home",
                            home.toString(),
                            "--json")
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("p" + i + ".log").toFile())
                    .start());
        }
        for (int i = 0; i < PROCESSES; i++) {
            Process p = processes.get(i);
            p.waitFor(120, TimeUnit.SECONDS);
            String log = Files.readString(home.resolve("p" + i + ".log"), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "process " + i + ":\n" + log);
        }
        JsonNode list;
        Path out = home.resolve("list.json");
        Process lister = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PipelineCli.class.getName(),
                        "schedule",
                        "list",
                        "--home",
                        home.toString(),
                        "--json")
                .redirectOutput(out.toFile())
                .start();
        assertEquals(0, lister.waitFor());
        list = new ObjectMapper().readTree(out.toFile());
        assertEquals(PROCESSES, list.size(), list.toString());
    }
}
