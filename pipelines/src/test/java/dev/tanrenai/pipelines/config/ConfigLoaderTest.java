package dev.tanrenai.pipelines.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void defaultsPutTheStoreInTheHome() {
        TanrenaiConfig c = loader.load(dir, null, Map.of(), Map.of());
        assertEquals(dir.toAbsolutePath().normalize(), c.home().root());
        assertEquals("jdbc:sqlite:" + dir.toAbsolutePath().normalize().resolve("store.db"), c.storeUrl());
        assertEquals(2048, c.runtimeContextLength());
    }

    @Test
    void homeComesFromTheEnvironmentWhenNoFlag() {
        TanrenaiConfig c = loader.load(null, null, Map.of("TANRENAI_HOME", dir.toString()), Map.of());
        assertEquals(dir.toAbsolutePath().normalize(), c.home().root());
    }

    @Test
    void fileThenEnvironmentThenFlagsTakePrecedence() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "runtime:\n  threads: 3\n  contextLength: 512\n");
        TanrenaiConfig fromFile = loader.load(dir, null, Map.of(), Map.of());
        assertEquals(3, fromFile.runtimeThreads());
        assertEquals(512, fromFile.runtimeContextLength());

        Map<String, String> env = Map.of("TANRENAI_RUNTIME_THREADS", "5");
        assertEquals(5, loader.load(dir, null, env, Map.of()).runtimeThreads());

        Map<String, String> flags = new HashMap<>();
        flags.put("runtime.threads", "7");
        assertEquals(7, loader.load(dir, null, env, flags).runtimeThreads());
    }

    @Test
    void unknownKeyInTheFileIsNamed() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "runtime:\n  thread: 3\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(dir, null, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("unknown key 'runtime.thread'"), e.getMessage());
    }

    @Test
    void badValueNamesTheFieldAndItsSource() {
        Map<String, String> env = Map.of("TANRENAI_RUNTIME_CONTEXT_LENGTH", "lots");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(dir, null, env, Map.of()));
        assertTrue(e.getMessage().contains("runtime.contextLength"), e.getMessage());
        assertTrue(e.getMessage().contains("TANRENAI_RUNTIME_CONTEXT_LENGTH"), e.getMessage());

        Map<String, String> flags = new HashMap<>();
        flags.put("runtime.threads", "0");
        ConfigException range = assertThrows(ConfigException.class, () -> loader.load(dir, null, Map.of(), flags));
        assertTrue(range.getMessage().startsWith("runtime.threads: must be between 1 and"), range.getMessage());
        assertTrue(range.getMessage().contains("command-line flag"), range.getMessage());
    }

    @Test
    void storeUrlMustBeJdbc() {
        Map<String, String> flags = new HashMap<>();
        flags.put("store.url", "postgres://db");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(dir, null, Map.of(), flags));
        assertTrue(e.getMessage().startsWith("store.url:"), e.getMessage());
    }

    @Test
    void missingExplicitConfigFileIsAnError() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> loader.load(dir, dir.resolve("nope.yaml"), Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("--config"), e.getMessage());
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertEquals("TANRENAI_STORE_URL", ConfigLoader.envName("store.url"));
        assertEquals("TANRENAI_IMPORT_MAX_LINE_BYTES", ConfigLoader.envName("import.maxLineBytes"));
    }
}
