package dev.tanrenai.evaluate.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.decoder.Precision;
import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.score.SequenceScore;
import dev.tanrenai.evaluate.suite.SuiteInfo;
import dev.tanrenai.evaluate.suite.SuiteKind;
import dev.tanrenai.evaluate.suite.SuiteRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultCacheTest {

    private static final SuiteInfo SUITE = new SuiteInfo(
            "general", SuiteKind.GENERAL, 1, "a".repeat(64), "two documents", Map.of("files", List.of("x.txt")));
    private static final ScoringSettings SETTINGS = ScoringSettings.defaults();

    @TempDir
    Path root;

    private static SuiteRun baselineRun() {
        SequenceScore ref = new SequenceScore(
                "d1",
                new float[] {-1.5f, -0.25f},
                new boolean[] {false, true},
                2,
                new int[] {4, 7, 7, 1},
                new float[] {-0.5f, -1.5f, -0.25f, -2f},
                null,
                null);
        return new SuiteRun(
                SUITE,
                "base0123456789ab",
                null,
                List.of(new ItemScore("d1", "d1", Map.of("nll", 1.75, "tokens", 2.0, "bytes", 9.0), "Once upon")),
                List.of(),
                null,
                List.of(ref),
                Map.of("skipped", 0),
                2);
    }

    @Test
    void aStoredRunComesBackWholeIncludingItsReference() throws Exception {
        ResultCache cache = new ResultCache(root);
        assertInstanceOf(ResultCache.Lookup.Miss.class, cache.lookup(SUITE, SETTINGS, "base0123456789ab", null));
        cache.store(baselineRun(), SETTINGS);

        var hit =
                assertInstanceOf(ResultCache.Lookup.Hit.class, cache.lookup(SUITE, SETTINGS, "base0123456789ab", null));
        SuiteRun run = hit.run();
        assertEquals(baselineRun().items(), run.items());
        assertEquals(2, run.scoredTokens());
        assertEquals(0, ((Number) run.notes().get("skipped")).intValue());
        SequenceScore ref = run.reference().get(0);
        assertEquals("d1", ref.requestId());
        assertArrayEquals(new float[] {-1.5f, -0.25f}, ref.logProbs());
        assertArrayEquals(new int[] {4, 7, 7, 1}, ref.topIds());
        assertArrayEquals(new float[] {-0.5f, -1.5f, -0.25f, -2f}, ref.topLogProbs());
        assertTrue(ref.greedy()[1]);
        assertFalse(ref.greedy()[0]);
    }

    @Test
    void aCandidateRunIsKeyedByItsReferenceAndKeepsItsKl() throws Exception {
        ResultCache cache = new ResultCache(root);
        SuiteRun run = new SuiteRun(
                SUITE,
                "cand",
                "base",
                List.of(new ItemScore("d1", "d1", Map.of("nll", 1.0, "tokens", 2.0, "bytes", 9.0), "")),
                List.of(new ItemScore("d1", "d1", Map.of("kl_sum", 0.5, "kl_tokens", 2.0, "top1", 1.0), "")),
                new float[] {0.125f, 0.375f},
                null,
                Map.of(),
                2);
        cache.store(run, SETTINGS);
        assertInstanceOf(ResultCache.Lookup.Miss.class, cache.lookup(SUITE, SETTINGS, "cand", "other"));
        var hit = assertInstanceOf(ResultCache.Lookup.Hit.class, cache.lookup(SUITE, SETTINGS, "cand", "base"));
        assertArrayEquals(new float[] {0.125f, 0.375f}, hit.run().perTokenKl());
        assertEquals(run.pairwise(), hit.run().pairwise());
    }

    @Test
    void otherSuiteContentOrScoringSettingsIsAnotherEntry() throws Exception {
        ResultCache cache = new ResultCache(root);
        cache.store(baselineRun(), SETTINGS);
        SuiteInfo changed = new SuiteInfo("general", SuiteKind.GENERAL, 1, "b".repeat(64), "", Map.of());
        assertInstanceOf(ResultCache.Lookup.Miss.class, cache.lookup(changed, SETTINGS, "base0123456789ab", null));
        assertInstanceOf(
                ResultCache.Lookup.Miss.class,
                cache.lookup(SUITE, new ScoringSettings(512, 1024, 64), "base0123456789ab", null));
        assertNotEquals(cache.entryDir(SUITE, SETTINGS, "m", null), cache.entryDir(SUITE, SETTINGS, "m", "r"));
    }

    @Test
    void bf16AndFp32ScoresAreNeverServedForEachOther() throws Exception {
        ResultCache cache = new ResultCache(root);
        ScoringSettings bf16 = SETTINGS.withPrecision(Precision.BFLOAT16);
        assertEquals("w1024-b2048-k64-fp32", SETTINGS.key());
        assertEquals("w1024-b2048-k64-bf16", bf16.key());
        cache.store(baselineRun(), SETTINGS);
        assertInstanceOf(ResultCache.Lookup.Miss.class, cache.lookup(SUITE, bf16, "base0123456789ab", null));
        Path bf16Dir = cache.store(baselineRun(), bf16);
        assertNotEquals(cache.entryDir(SUITE, SETTINGS, "base0123456789ab", null), bf16Dir);
        assertInstanceOf(ResultCache.Lookup.Hit.class, cache.lookup(SUITE, bf16, "base0123456789ab", null));
        assertTrue(
                Files.readString(bf16Dir.resolve(ResultCache.RUN)).contains("\"scoring\" : \"w1024-b2048-k64-bf16\""));
        // an fp32 entry moved under the bf16 key (whatever the manifest says) is refused by its recorded settings
        Path fp32Dir = cache.entryDir(SUITE, SETTINGS, "base0123456789ab", null);
        try (var files = Files.list(bf16Dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        try (var files = Files.list(fp32Dir)) {
            for (Path f : files.toList()) {
                Files.copy(f, bf16Dir.resolve(f.getFileName()));
            }
        }
        var corrupt =
                assertInstanceOf(ResultCache.Lookup.Corrupt.class, cache.lookup(SUITE, bf16, "base0123456789ab", null));
        assertTrue(corrupt.reason().contains("scoring settings"), corrupt.reason());
        assertTrue(corrupt.reason().contains("fp32"), corrupt.reason());
    }

    @Test
    void aTamperedFileIsReportedCorruptWithItsNameAndReplacedOnTheNextStore() throws Exception {
        ResultCache cache = new ResultCache(root);
        Path dir = cache.store(baselineRun(), SETTINGS);
        byte[] bytes = Files.readAllBytes(dir.resolve(ResultCache.REFERENCE));
        bytes[bytes.length - 1] ^= 1;
        Files.write(dir.resolve(ResultCache.REFERENCE), bytes);

        var corrupt = assertInstanceOf(
                ResultCache.Lookup.Corrupt.class, cache.lookup(SUITE, SETTINGS, "base0123456789ab", null));
        assertTrue(corrupt.reason().contains("reference.bin"), corrupt.reason());

        cache.store(baselineRun(), SETTINGS);
        assertInstanceOf(ResultCache.Lookup.Hit.class, cache.lookup(SUITE, SETTINGS, "base0123456789ab", null));
    }

    @Test
    void anEntryWithoutItsManifestIsAnInterruptedWrite() throws Exception {
        ResultCache cache = new ResultCache(root);
        Path dir = cache.store(baselineRun(), SETTINGS);
        Files.delete(dir.resolve(ResultCache.MANIFEST));
        var corrupt = assertInstanceOf(
                ResultCache.Lookup.Corrupt.class, cache.lookup(SUITE, SETTINGS, "base0123456789ab", null));
        assertTrue(corrupt.reason().contains("interrupted"), corrupt.reason());
    }
}
