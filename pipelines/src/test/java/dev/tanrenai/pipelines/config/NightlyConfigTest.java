package dev.tanrenai.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code nightly.*} keys: nested YAML, environment variables, and errors naming key and origin. */
class NightlyConfigTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void nestedKeysComeFromTheFileAndTheEnvironment() throws Exception {
        Files.writeString(
                dir.resolve("config.yaml"),
                "nightly:\n  minConversations: 25\n  promotion: ab\n  abShare: 0.2\n  train:\n    steps: 60\n");
        NightlyConfig n = loader.load(dir, null, Map.of("TANRENAI_NIGHTLY_TRAIN_RANK", "4"), Map.of())
                .nightly();
        assertEquals(25, n.minConversations());
        assertEquals(NightlyConfig.AB, n.promotion());
        assertEquals(0.2, n.abShare());
        assertEquals(60, n.steps());
        assertEquals(4, n.rank());
        assertEquals(2, n.maxRefusals());
        assertEquals("", n.webhook());
    }

    @Test
    void aBadValueNamesTheKeyAndWhereItCameFrom() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "nightly:\n  promotion: sideways\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(dir, null, Map.of(), Map.of()));
        assertTrue(
                e.getMessage().startsWith("nightly.promotion: must be direct or ab, got 'sideways'"), e.getMessage());
        assertTrue(e.getMessage().contains("config.yaml"), e.getMessage());

        Files.writeString(dir.resolve("config.yaml"), "nightly:\n  webhook: slack.example\n");
        e = assertThrows(ConfigException.class, () -> loader.load(dir, null, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("nightly.webhook: must be an http(s) URL"), e.getMessage());

        e = assertThrows(
                ConfigException.class,
                () -> loader.load(dir, null, Map.of("TANRENAI_NIGHTLY_CONTINUE_CHAMPION", "yes"), Map.of()));
        assertTrue(e.getMessage().contains("nightly.continueChampion: expected true or false"), e.getMessage());
    }
}
