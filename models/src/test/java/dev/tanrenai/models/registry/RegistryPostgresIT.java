package dev.tanrenai.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.testing.PostgresDatabases;
import dev.tanrenai.models.testing.TestGgufFiles;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model registry on a real PostgreSQL server ({@code -Ppostgres -Dtanrenai.postgres.url=...}). */
class RegistryPostgresIT {

    @TempDir
    Path dir;

    @Test
    void registryWorksOnPostgres() throws Exception {
        String url = PostgresDatabases.fresh("registry");
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        ModelRegistry registry = new ModelRegistry(Database.open(url), home);
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        BaseModel base = registry.addBaseModel(model, null, true);
        assertEquals(base, registry.addBaseModel(model, null, true));

        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        Path lora = dir.resolve("lora.gguf");
        TestGgufFiles.writeLoraAdapter(
                lora, "llama", spec.blockCount(), spec.embeddingLength(), spec.feedForwardLength(), 4, 0.1f, 3);
        Adapter adapter = registry.addAdapter(lora, base.id(), "run-1", null, Map.of("seed", "3"));

        registry.moveAlias("champion", base.id(), "first", "test");
        AliasMove promoted = registry.moveAlias("champion", base.id(), adapter.id(), "better", "test");
        assertEquals(base.id(), promoted.fromId());
        assertThrows(
                AliasConflictException.class,
                () -> registry.moveAlias("champion", base.id(), base.id(), "stale", "test"));
        assertEquals(adapter, registry.resolve("champion").adapter());
        List<AliasMove> history = new ModelRegistry(Database.open(url), home).history("champion");
        assertEquals(2, history.size());
        assertTrue(registry.verify(adapter.id()).ok());
    }
}
