package dev.tanrenai.evaluate.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.store.StoreException;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.testing.RandomAdapters;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationStoreTest {

    @TempDir
    Path dir;

    private static StoredEvaluation evaluation(
            String id, String at, String adapterId, String decision, boolean forced) {
        return new StoredEvaluation(
                id,
                at,
                adapterId,
                "cand-key",
                "challenger",
                null,
                "base-key",
                "base model",
                decision,
                forced,
                forced ? "hotfix the team tested by hand" : null,
                "summary of " + id,
                "0".repeat(64),
                "test",
                "/tmp/report",
                "{\"id\":\"" + id + "\"}",
                List.of(
                        new StoredEvaluation.CheckRow("heldout improves", "heldout", true, "the CI lies above 0"),
                        new StoredEvaluation.CheckRow("general bits per byte", "general", !forced, "within budget")));
    }

    @Test
    void evaluationsAreLinkedToRegisteredAdaptersAndReadBackNewestFirst() throws Exception {
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        Database db = Database.open(home.defaultJdbcUrl());
        ModelRegistry registry = new ModelRegistry(db, home);
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        Path base = dir.resolve("base.gguf");
        TinyModelMaker.write(spec, base);
        Path adapterFile = dir.resolve("a.gguf");
        RandomAdapters.write(spec, EnumSet.of(LoraTarget.Q), 2, 4f, 0.1f, 1, adapterFile);
        registry.addBaseModel(base, "tiny", false);
        String adapterId = registry.addAdapter(adapterFile, "tiny", "run-1", null, Map.of())
                .id();

        EvaluationStore store = new EvaluationStore(db);
        store.record(evaluation("ev-1", "2026-12-01T01:00:00Z", adapterId, StoredEvaluation.REFUSE, false));
        store.record(evaluation("ev-2", "2026-12-02T01:00:00Z", adapterId, StoredEvaluation.PROMOTE, true));

        List<StoredEvaluation> listed = store.list(10);
        assertEquals(
                List.of("ev-2", "ev-1"),
                listed.stream().map(StoredEvaluation::id).toList());
        StoredEvaluation forced = store.get("ev-2").orElseThrow();
        assertTrue(forced.forced());
        assertEquals("hotfix the team tested by hand", forced.forceReason());
        assertEquals(2, forced.checks().size());
        assertEquals("general bits per byte", forced.checks().get(1).name());
        assertEquals("ev-2", store.latestForCandidate(adapterId).orElseThrow().id());
        assertTrue(store.get("ev-9").isEmpty());

        // an evaluation naming an adapter the registry does not have is refused by the database
        assertThrows(
                StoreException.class,
                () -> store.record(evaluation("ev-3", "2026-12-03T01:00:00Z", "a-000000000000", "refuse", false)));
        assertEquals(2, store.list(10).size());
    }

    @Test
    void anUnforcedPromotionWithAFailedCheckCannotBeRecorded() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new StoredEvaluation(
                        "ev-x",
                        "t",
                        null,
                        "c",
                        "c",
                        null,
                        "b",
                        "b",
                        "promote",
                        false,
                        null,
                        "s",
                        "0".repeat(64),
                        "v",
                        "d",
                        "{}",
                        List.of(new StoredEvaluation.CheckRow("x", "general", false, "over budget"))));
        assertTrue(e.getMessage().contains("must be forced"));
    }

    @Test
    void theStoreNeedsTheRegistry() {
        Database db = Database.open("jdbc:sqlite:" + dir.resolve("bare.db"));
        var e = assertThrows(StoreException.class, () -> new EvaluationStore(db));
        assertTrue(e.getMessage().contains("no model registry"), e.getMessage());
    }
}
