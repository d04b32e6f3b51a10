package dev.tanrenai.models.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.gguf.GgufRewrite;
import dev.tanrenai.models.gguf.GgufValue;
import dev.tanrenai.models.testing.TestGgufFiles;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import dev.tanrenai.models.validate.ModelValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model registry on a real SQLite file with tiny generated GGUF files. */
class ModelRegistryTest {
    @TempDir
    Path dir;

    private TanrenaiHome home;
    private ModelRegistry registry;
    private Path llama;
    private String llamaSha;
    private Path qwen2;
    private String qwen2Sha;

    @BeforeEach
    void setUp() throws IOException {
        home = new TanrenaiHome(dir.resolve("home")).initialize();
        registry = new ModelRegistry(Database.open(home.defaultJdbcUrl()), home);
        llama = dir.resolve("tiny-llama.gguf");
        llamaSha = TinyModelMaker.write(TinyModelSpec.llamaDefault(), llama);
        qwen2 = dir.resolve("tiny-qwen2.gguf");
        qwen2Sha = TinyModelMaker.write(TinyModelSpec.qwen2Default(), qwen2);
    }

    @Test
    void addBaseModelReadsMetadataAndIsIdempotent() {
        BaseModel first = registry.addBaseModel(llama, null, true);
        assertEquals("m-" + llamaSha.substring(0, 12), first.id());
        assertEquals("tiny-llama", first.name());
        assertEquals(llamaSha, first.sha256());
        assertEquals("llama", first.architecture());
        assertEquals(home.modelsDir().resolve(first.id() + ".gguf"), first.path());
        assertTrue(Files.isRegularFile(first.path()));
        assertEquals(
                Map.of(
                        "context_length", "512",
                        "embedding_length", "64",
                        "block_count", "2",
                        "head_count", "4",
                        "head_count_kv", "2",
                        "vocab_size", "512",
                        "file_type", "0"),
                first.keyMetadata());

        BaseModel again = registry.addBaseModel(llama, "another-name", false);
        assertEquals(first, again);
        assertEquals(1, registry.baseModels().size());

        // a second registry over the same database sees the same rows (migrations run once)
        ModelRegistry reopened = new ModelRegistry(Database.open(home.defaultJdbcUrl()), home);
        assertEquals(List.of(first), reopened.baseModels());
    }

    @Test
    void duplicateNameOfDifferentFileIsRejected() {
        registry.addBaseModel(llama, "tiny", false);
        RegistryException e = assertThrows(RegistryException.class, () -> registry.addBaseModel(qwen2, "tiny", false));
        assertTrue(e.getMessage().contains("already used"), e.getMessage());
        assertEquals(1, registry.baseModels().size());
    }

    @Test
    void resolvesIdsNamesAliasesAndShaPrefixes() {
        BaseModel l = registry.addBaseModel(llama, null, false);
        BaseModel q = registry.addBaseModel(qwen2, "qwen", false);
        assertEquals(l, registry.resolve(l.id()).base());
        assertEquals(q, registry.resolve("qwen").base());
        assertEquals(l, registry.resolve(llamaSha.substring(0, 8)).base());
        assertEquals(
                q, registry.resolve(qwen2Sha.substring(0, 20).toUpperCase()).base());
        registry.moveAlias("champion", q.id(), "first champion", "test");
        assertEquals(q, registry.resolve("champion").base());
        assertFalse(registry.resolve("champion").isAdapter());

        RegistryException unknown = assertThrows(RegistryException.class, () -> registry.resolve("nope"));
        assertTrue(
                unknown.getMessage().contains(l.id()) && unknown.getMessage().contains("champion -> " + q.id()),
                unknown.getMessage());
        // fewer than 8 hex digits is not a prefix reference
        assertThrows(RegistryException.class, () -> registry.resolve(llamaSha.substring(0, 7)));
    }

    @Test
    void aliasAndNameNamingDifferentEntriesIsAmbiguous() {
        BaseModel l = registry.addBaseModel(llama, "champion", false);
        BaseModel q = registry.addBaseModel(qwen2, null, false);
        registry.moveAlias("champion", q.id(), "test ambiguity", "test");
        RegistryException e = assertThrows(RegistryException.class, () -> registry.resolve("champion"));
        assertTrue(
                e.getMessage().contains("ambiguous")
                        && e.getMessage().contains(l.id())
                        && e.getMessage().contains(q.id()),
                e.getMessage());
    }

    @Test
    void aliasMovesAreRecordedInOrder() {
        BaseModel l = registry.addBaseModel(llama, null, false);
        BaseModel q = registry.addBaseModel(qwen2, null, false);
        AliasMove created = registry.moveAlias("champion", l.id(), "initial", "alice");
        assertNull(created.fromId());
        AliasMove moved = registry.moveAlias("champion", l.id(), q.id(), "won the eval", "run-7");
        assertEquals(l.id(), moved.fromId());
        assertEquals(Map.of("champion", q.id()), registry.aliases());
        assertEquals(q, registry.alias("champion").orElseThrow().base());
        assertTrue(registry.alias("challenger").isEmpty());

        List<AliasMove> history = registry.history("champion");
        assertEquals(List.of(created, moved), history);
        assertEquals("won the eval", history.get(1).reason());
        assertEquals("run-7", history.get(1).actor());
    }

    @Test
    void invalidAliasMovesChangeNothing() {
        BaseModel l = registry.addBaseModel(llama, null, false);
        assertThrows(RegistryException.class, () -> registry.moveAlias("Champion", l.id(), "r", "a"));
        assertThrows(RegistryException.class, () -> registry.moveAlias("1st", l.id(), "r", "a"));
        assertThrows(RegistryException.class, () -> registry.moveAlias("champion", l.id(), " ", "a"));
        assertThrows(RegistryException.class, () -> registry.moveAlias("champion", "m-000000000000", "r", "a"));
        registry.moveAlias("champion", l.id(), "r", "a");
        AliasConflictException conflict = assertThrows(
                AliasConflictException.class,
                () -> registry.moveAlias("champion", "m-000000000000", l.id(), "stale view", "a"));
        assertTrue(conflict.getMessage().contains(l.id()), conflict.getMessage());
        assertEquals(1, registry.history("champion").size());
    }

    @Test
    void concurrentOptimisticMovesHaveExactlyOneWinner() throws Exception {
        BaseModel l = registry.addBaseModel(llama, null, false);
        BaseModel q = registry.addBaseModel(qwen2, null, false);
        Path third = dir.resolve("tiny-llama-7.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault().withSeed(7), third);
        BaseModel t = registry.addBaseModel(third, null, false);
        registry.moveAlias("champion", l.id(), "initial", "test");
        // two registries over two Database objects: the SQLite file lock, not one process lock, decides
        ModelRegistry other = new ModelRegistry(Database.open(home.defaultJdbcUrl()), home);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            String expected = l.id();
            for (int round = 0; round < 5; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                String current = expected;
                Future<AliasMove> a = pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return registry.moveAlias("champion", current, q.id(), "round", "thread-a");
                });
                Future<AliasMove> b = pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return other.moveAlias("champion", current, t.id(), "round", "thread-b");
                });
                List<AliasMove> wins = new ArrayList<>();
                int conflicts = 0;
                for (Future<AliasMove> f : List.of(a, b)) {
                    try {
                        wins.add(f.get(30, TimeUnit.SECONDS));
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertTrue(e.getCause() instanceof AliasConflictException, String.valueOf(e.getCause()));
                        conflicts++;
                    }
                }
                assertEquals(1, wins.size(), "exactly one winner in round " + round);
                assertEquals(1, conflicts);
                assertEquals(current, wins.get(0).fromId());
                expected = wins.get(0).toId();
                assertEquals(expected, registry.aliases().get("champion"));
                // reset to the first model so the next round races again
                registry.moveAlias("champion", expected, l.id(), "reset", "test");
                expected = l.id();
            }
        } finally {
            pool.shutdownNow();
        }
        List<AliasMove> history = registry.history("champion");
        assertEquals(1 + 5 * 2, history.size());
        for (int i = 1; i < history.size(); i++) {
            assertEquals(history.get(i - 1).toId(), history.get(i).fromId(), "history chain broken at " + i);
        }
    }

    @Test
    void adaptersAreCheckedAgainstTheirBase() throws IOException {
        BaseModel l = registry.addBaseModel(llama, null, false);
        BaseModel q = registry.addBaseModel(qwen2, null, false);
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        Path loraFile = dir.resolve("lora-llama.gguf");
        TestGgufFiles.writeLoraAdapter(
                loraFile, "llama", spec.blockCount(), spec.embeddingLength(), spec.feedForwardLength(), 4, 0.1f, 3);

        Adapter adapter = registry.addAdapter(loraFile, l.id(), "run-1", "snap-1", Map.of("lr", "0.001"));
        assertTrue(adapter.id().startsWith("a-"));
        assertEquals(home.adaptersDir().resolve(adapter.id() + ".gguf"), adapter.path());
        assertEquals(Map.of("lr", "0.001"), adapter.provenance());
        assertEquals(adapter, registry.addAdapter(loraFile, l.id(), null, null, Map.of()));
        assertEquals(List.of(adapter), registry.adapters());

        ModelRef ref = registry.resolve(adapter.id());
        assertTrue(ref.isAdapter());
        assertEquals(l, ref.base());
        assertEquals(adapter.id(), ref.id());
        registry.moveAlias("challenger", adapter.id(), "trained tonight", "run-1");
        assertEquals(adapter, registry.resolve("challenger").adapter());

        RegistryException mismatch = assertThrows(
                RegistryException.class, () -> registry.addAdapter(loraFile, q.id(), null, null, Map.of()));
        assertTrue(
                mismatch.getMessage().contains("'llama'")
                        && mismatch.getMessage().contains("'qwen2'"),
                mismatch.getMessage());
        RegistryException notAdapter =
                assertThrows(RegistryException.class, () -> registry.addAdapter(qwen2, q.id(), null, null, Map.of()));
        assertTrue(notAdapter.getMessage().contains("general.type"), notAdapter.getMessage());
        RegistryException adapterAsBase =
                assertThrows(RegistryException.class, () -> registry.addBaseModel(loraFile, null, false));
        assertTrue(adapterAsBase.getMessage().contains("addAdapter"), adapterAsBase.getMessage());
        assertEquals(1, registry.adapters().size());
    }

    @Test
    void verifyReportsMissingAndChangedFiles() throws IOException {
        BaseModel l = registry.addBaseModel(llama, null, false);
        BaseModel q = registry.addBaseModel(qwen2, null, false);
        assertEquals(Verification.Status.OK, registry.verify(l.id()).status());

        Files.delete(llama);
        assertEquals(l, registry.resolve(l.id()).base());
        Verification missing = registry.verify(l.id());
        assertEquals(Verification.Status.MISSING, missing.status());
        assertTrue(missing.message().contains("missing") && missing.message().contains(llama.toString()));

        Files.write(qwen2, new byte[] {1}, StandardOpenOption.APPEND);
        Verification changed = registry.verify(q.id());
        assertEquals(Verification.Status.CHANGED, changed.status());
        assertEquals(qwen2Sha, changed.expectedSha256());
        assertFalse(changed.ok());
        assertThrows(RegistryException.class, () -> registry.verify("m-000000000000"));
    }

    @Test
    void nonGgufFilesAreRejectedWithTheirName() throws IOException {
        Path junk = dir.resolve("junk.gguf");
        Files.writeString(junk, "not a model at all");
        RegistryException e = assertThrows(RegistryException.class, () -> registry.addBaseModel(junk, null, true));
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
        assertTrue(registry.baseModels().isEmpty());
        assertThrows(RegistryException.class, () -> registry.addBaseModel(dir.resolve("absent.gguf"), null, false));
    }

    @Test
    void aModelLlamaCppWouldAbortOnIsNotRegistered() throws IOException {
        for (GgufValue eps : List.of(GgufValue.float32(-1f), GgufValue.float32(Float.NaN))) {
            Path bad = dir.resolve("eps-" + eps.render() + ".gguf");
            GgufRewrite.of(llama)
                    .set("llama.attention.layer_norm_rms_epsilon", eps)
                    .write(bad);
            ModelValidationException e =
                    assertThrows(ModelValidationException.class, () -> registry.addBaseModel(bad, null, true));
            assertEquals("llama.attention.layer_norm_rms_epsilon", e.subject());
        }
        Path zeroBlocks = dir.resolve("zero-blocks.gguf");
        GgufRewrite.of(llama).set("llama.block_count", GgufValue.uint32(0)).write(zeroBlocks);
        ModelValidationException e =
                assertThrows(ModelValidationException.class, () -> registry.addBaseModel(zeroBlocks, null, true));
        assertTrue(e.getMessage().contains("llama.block_count = 0"), e.getMessage());
        assertTrue(registry.baseModels().isEmpty());
        try (var files = Files.list(home.modelsDir())) {
            assertEquals(0, files.count(), "nothing copied into the home");
        }
    }

    @Test
    void aNonFiniteAdapterIsNotRegistered() throws IOException {
        BaseModel base = registry.addBaseModel(llama, null, false);
        Path good = dir.resolve("good-adapter.gguf");
        TestGgufFiles.writeLoraAdapter(good, "llama", 2, 64, 128, 4, 0.1f, 1);
        Path nan = dir.resolve("nan-alpha.gguf");
        GgufRewrite.of(good)
                .set("adapter.lora.alpha", GgufValue.float32(Float.NaN))
                .write(nan);
        ModelValidationException e = assertThrows(
                ModelValidationException.class, () -> registry.addAdapter(nan, base.id(), null, null, Map.of()));
        assertEquals("adapter.lora.alpha", e.subject());
        assertTrue(registry.adapters().isEmpty());
        registry.addAdapter(good, base.id(), null, null, Map.of());
        assertEquals(1, registry.adapters().size());
    }

    @Test
    void anAliasIsNotMovedToAFileThatWentBadAfterRegistration() throws IOException {
        BaseModel good = registry.addBaseModel(llama, "good", false);
        registry.moveAlias("champion", good.id(), "first", "test");
        BaseModel other = registry.addBaseModel(qwen2, "other", false);
        Path bad = dir.resolve("qwen2-bad.gguf");
        GgufRewrite.of(qwen2).set("qwen2.block_count", GgufValue.uint32(0)).write(bad);
        Files.move(bad, qwen2, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // e.g. registered before checks
        ModelValidationException e = assertThrows(
                ModelValidationException.class, () -> registry.moveAlias("champion", other.id(), "promote", "test"));
        assertEquals("qwen2.block_count", e.subject());
        // the optimistic move (evaluate --promote) is refused the same way
        assertThrows(
                ModelValidationException.class,
                () -> registry.moveAlias("champion", good.id(), other.id(), "evaluation passed", "test"));
        assertThrows(ModelValidationException.class, () -> registry.requireServable(other.id()));
        assertEquals(good.id(), registry.alias("champion").orElseThrow().id(), "the alias stays");
        assertEquals(1, registry.history("champion").size());
    }
}
