package dev.tanrenai.evaluate.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.testing.RandomAdapters;
import dev.tanrenai.evaluate.gate.Check;
import dev.tanrenai.evaluate.gate.Policy;
import dev.tanrenai.evaluate.report.ReportReader;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.store.EvaluationStore;
import dev.tanrenai.evaluate.suite.ConversationSuite;
import dev.tanrenai.evaluate.suite.GeneralSuite;
import dev.tanrenai.evaluate.suite.GeneralText;
import dev.tanrenai.evaluate.suite.Suite;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole evaluations on a tiny generated llama with seeded random adapters: an identical candidate is
 * refused for no improvement without a forgetting alarm; a candidate that fits the general text worse
 * than the champion (here the near-uniform random base fits it worse than a sharp random adapter
 * measured in this test) is refused naming the retention suite; the second evaluation reuses both
 * models' runs from the cache; reports and the store record are written. Forgetting caused by real
 * training is proved in pipelines' real-model tier.
 */
class EvaluatorIT {

    @TempDir
    static Path dir;

    private static TinyModelSpec spec;
    private static Path model;
    private static Path gentle;
    private static Path wrecking;
    private static TanrenaiHome home;
    private static List<Suite> suites;

    @BeforeAll
    static void setUp() throws Exception {
        spec = TinyModelSpec.llamaDefault();
        model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(spec, model);
        gentle = dir.resolve("gentle.gguf");
        RandomAdapters.write(spec, EnumSet.of(LoraTarget.Q, LoraTarget.V), 2, 2f, 0.01f, 5, gentle);
        wrecking = dir.resolve("wrecking.gguf");
        RandomAdapters.write(spec, EnumSet.allOf(LoraTarget.class), 8, 16f, 4f, 6, wrecking);
        home = new TanrenaiHome(dir.resolve("home")).initialize();
        List<Conversation> heldout = new ArrayList<>();
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        for (int i = 0; i < 24; i++) {
            heldout.add(new Conversation(
                    "h" + i,
                    "test",
                    t,
                    t,
                    List.of(Message.user("hello the world " + i), Message.assistant("the world is good " + (i % 5))),
                    Map.of()));
        }
        Path text = dir.resolve("general.txt");
        StringBuilder docs = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            docs.append("the world is good and hello world number ").append(i).append("\n\n");
        }
        Files.writeString(text, docs);
        suites = List.of(
                ConversationSuite.heldout(heldout, "held-out test conversations", Map.of()),
                GeneralSuite.of(List.of(GeneralText.read(text)), 100));
    }

    private static EvaluationPlan plan(ModelUnderTest candidate, ModelUnderTest baseline, String force) {
        return new EvaluationPlan(
                candidate,
                "candidate",
                null,
                baseline,
                "baseline",
                null,
                suites,
                Map.of(),
                Policy.defaults(),
                force,
                new ScoringSettings(256, 1024, 16),
                RuntimeOptions.defaults(model, dir.resolve("native")).withContextLength(512),
                home.evaluationsDir(),
                null,
                Map.of("snapshotId", "test"));
    }

    @Test
    void aCandidateIdenticalToTheChampionIsRefusedForNoImprovementAndNothingElse() throws Exception {
        ModelUnderTest same = ModelUnderTest.ofFiles(model, gentle);
        EvaluationResult r = new Evaluator(null, Evaluator.Listener.none()).evaluate(plan(same, same, null));
        assertFalse(r.decision().promote());
        assertEquals(
                List.of("heldout improves"),
                r.decision().failed().stream().map(Check::name).toList());
        Check kl = r.decision().checks().stream()
                .filter(c -> c.name().equals("general KL within budget"))
                .findFirst()
                .orElseThrow();
        assertTrue(kl.passed());
        assertEquals(0.0, kl.observed(), 1e-6, "a model has no KL to itself");
    }

    @Test
    void aCandidateThatFitsTheGeneralTextWorseIsRefusedNamingItAndASecondRunReusesTheCache() throws Exception {
        Database db = Database.open(home.defaultJdbcUrl());
        new ModelRegistry(db, home);
        EvaluationStore store = new EvaluationStore(db);
        ModelUnderTest base = ModelUnderTest.ofFiles(model, wrecking); // the champion: fits the text better
        ModelUnderTest wreck = ModelUnderTest.ofFiles(model, gentle);
        EvaluationResult first = new Evaluator(store, Evaluator.Listener.none()).evaluate(plan(wreck, base, null));
        assertFalse(first.decision().promote());
        Check general = first.decision().failed().stream()
                .filter(c -> c.name().equals("general retains (bits_per_byte)"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("general did not fail: "
                        + first.decision().summary() + first.report().path("suites")));
        assertTrue(general.ciLow() > 0.3, general.reason()); // bits per byte rose by about half a bit
        assertTrue(general.reason().contains("FORGETTING"), general.reason());
        assertTrue(
                first.decision().summary().contains("general:"),
                first.decision().summary());

        // the report is readable by the renderer's strict reader, and all three files exist
        assertNotNull(ReportReader.read(first.report()));
        for (String f : List.of("report.json", "report.html", "summary.md")) {
            assertTrue(Files.size(first.reportDir().resolve(f)) > 200, f);
        }
        assertEquals("refuse", store.get(first.id()).orElseThrow().decision());

        EvaluationResult second = new Evaluator(null, Evaluator.Listener.none()).evaluate(plan(wreck, base, null));
        assertEquals(2 * suites.size(), second.cacheHits(), "both models of every suite come from the cache");
        assertEquals(0, second.scoredTokens());
        assertEquals(first.decision().checks(), second.decision().checks());
    }

    @Test
    void aForcedPromotionIsRecordedAsForced() throws Exception {
        ModelUnderTest same = ModelUnderTest.ofFiles(model, gentle);
        EvaluationResult r =
                new Evaluator(null, Evaluator.Listener.none()).evaluate(plan(same, same, "tested by hand"));
        assertTrue(r.decision().promote());
        assertTrue(r.decision().forced());
        assertEquals("tested by hand", r.report().path("forceReason").asText());
    }

    @Test
    void anAdapterOfAnotherBaseCannotBeCompared() throws Exception {
        TinyModelSpec other = TinyModelSpec.llamaDefault();
        Path otherModel = dir.resolve("other.gguf");
        TinyModelMaker.write(other.withSeed(99), otherModel);
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> plan(ModelUnderTest.ofFiles(model, gentle), ModelUnderTest.ofFiles(otherModel, null), null));
        assertTrue(e.getMessage().contains("cannot be compared"), e.getMessage());
    }
}
