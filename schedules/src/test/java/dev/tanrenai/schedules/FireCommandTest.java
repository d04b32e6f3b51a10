package dev.tanrenai.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FireCommandTest {

    @Test
    void theDefaultIsTheNightlyRunOnThisJavaAndClasspath() {
        List<String> argv = FireCommand.nightly().resolve(Path.of("/srv/tanrenai"), "nightly");
        assertTrue(Files.isExecutable(Path.of(argv.get(0))), argv.get(0));
        assertTrue(argv.get(0).endsWith("/bin/java"), argv.get(0));
        assertTrue(argv.contains("-XX:+ExitOnOutOfMemoryError"), argv.toString());
        int cp = argv.indexOf("-cp");
        assertEquals(System.getProperty("java.class.path"), argv.get(cp + 1));
        assertEquals(
                List.of(
                        "dev.tanrenai.pipelines.PipelineCli",
                        "run",
                        "nightly",
                        "--trigger",
                        "schedule",
                        "--home",
                        "/srv/tanrenai",
                        "--json"),
                argv.subList(cp + 2, argv.size()));
    }

    @Test
    void placeholdersAreFilledAndAnEmptyCommandIsRefused() {
        FireCommand c = new FireCommand(List.of("/bin/echo", "{schedule}@{home}"));
        assertEquals(List.of("/bin/echo", "weekly@/h"), c.resolve(Path.of("/h"), "weekly"));
        assertThrows(ScheduleException.class, () -> new FireCommand(List.of()));
    }
}
