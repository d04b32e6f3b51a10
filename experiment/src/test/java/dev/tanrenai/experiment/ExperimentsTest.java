package dev.tanrenai.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.registry.AliasMove;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 §2 against a real store and registry: a better-rated challenger is promoted (champion alias
 * moved with the experiment and its numbers in the history, challenger alias cleared); one whose error
 * rate is worse is rolled back by the guardrail even though its ratings are better; an undecided one
 * ends as "no difference" after the maximum duration. Every evaluation is recorded.
 */
class ExperimentsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private ConversationStore store;
    private ModelRegistry registry;
    private Experiments experiments;
    private String champ;
    private String chall;

    @BeforeEach
    void setUp() throws IOException {
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        Database db = Database.open(home.defaultJdbcUrl());
        store = new ConversationStore(db);
        registry = new ModelRegistry(db, home);
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), a);
        TinyModelMaker.write(TinyModelSpec.qwen2Default(), b);
        champ = registry.addBaseModel(a, "a", false).id();
        chall = registry.addBaseModel(b, "b", false).id();
        registry.moveAlias("champion", champ, "test", "test");
        registry.moveAlias("challenger", chall, "test", "test");
        experiments = new Experiments(store, registry);
    }

    @Test
    void aBetterRatedChallengerIsPromotedAndTheAliasHistoryRecordsTheExperiment() {
        ExperimentConfig config = ExperimentConfig.defaults().withMinUsersPerArm(30);
        Experiment e = experiments.start(chall, 0.5, config, T0, "test");
        serve(e, 0.2, 0.95, 40, 0, 11);
        Experiments.Applied applied =
                experiments.decide(T0.plus(Duration.ofHours(1)), "test").orElseThrow();
        assertEquals(
                Decision.PROMOTE,
                applied.verdict().decision(),
                applied.verdict().reason());
        assertEquals(chall, registry.alias("champion").orElseThrow().id());
        assertTrue(registry.alias("challenger").isEmpty());
        List<AliasMove> history = registry.history("champion");
        AliasMove last = history.get(history.size() - 1);
        assertEquals(champ, last.fromId());
        assertTrue(last.reason().contains(e.id()) && last.reason().contains("rating rate"), last.reason());
        assertEquals(
                Experiment.Status.PROMOTED,
                experiments.store().get(e.id()).orElseThrow().status());
        assertEquals(1, experiments.store().decisions(e.id()).size());
        assertEquals(Optional.empty(), experiments.decide(T0.plus(Duration.ofHours(2)), "test"));
    }

    @Test
    void aChallengerWithMoreFailuresIsRolledBackEvenThoughItsRatingsAreBetter() {
        ExperimentConfig config =
                ExperimentConfig.defaults().withMinUsersPerArm(30).withGuardrailMinTurns(20);
        Experiment e = experiments.start(chall, 0.5, config, T0, "test");
        serve(e, 0.2, 0.95, 40, 0.25, 12);
        Experiments.Applied applied =
                experiments.decide(T0.plus(Duration.ofHours(1)), "test").orElseThrow();
        assertEquals(
                Decision.ROLLBACK,
                applied.verdict().decision(),
                applied.verdict().reason());
        assertTrue(
                applied.verdict().reason().startsWith("guardrail: challenger error rate"),
                applied.verdict().reason());
        assertTrue(
                applied.verdict().test().crossed() && applied.verdict().test().effect() > 0, "ratings were better");
        assertEquals(champ, registry.alias("champion").orElseThrow().id());
        assertTrue(registry.alias("challenger").isEmpty());
        assertEquals(
                Experiment.Status.ROLLED_BACK,
                experiments.store().get(e.id()).orElseThrow().status());
    }

    @Test
    void anUndecidedExperimentEndsAsNoDifferenceAfterItsMaximumDuration() {
        ExperimentConfig config =
                ExperimentConfig.defaults().withMinUsersPerArm(30).withMaxDuration(Duration.ofDays(1));
        Experiment e = experiments.start(chall, 0.5, config, T0, "test");
        serve(e, 0.6, 0.6, 10, 0, 13);
        assertEquals(
                Decision.CONTINUE,
                experiments
                        .decide(T0.plus(Duration.ofHours(23)), "test")
                        .orElseThrow()
                        .verdict()
                        .decision());
        Experiments.Applied applied =
                experiments.decide(T0.plus(Duration.ofHours(25)), "test").orElseThrow();
        assertEquals(Decision.NO_DIFFERENCE, applied.verdict().decision());
        assertEquals(champ, registry.alias("champion").orElseThrow().id());
        assertTrue(registry.alias("challenger").isEmpty());
        assertEquals(2, experiments.store().decisions(e.id()).size());
    }

    /** {@code users} users per arm, each one conversation rated up with its arm's probability; failures too. */
    private void serve(
            Experiment e, double pChampion, double pChallenger, int users, double challengerErrors, long seed) {
        ServedLog log = new ServedLog(store);
        SplittableRandom random = new SplittableRandom(seed);
        for (ExperimentArm arm : ExperimentArm.values()) {
            for (int u = 0; u < users; u++) {
                String id = arm.wireName() + "-" + u;
                log.store(
                        id,
                        List.of(Message.user("hello " + u), Message.assistant("hi")),
                        Map.of(1, new ServedLog.Turn(arm, e.modelOf(arm), T0.plusSeconds(u), 100, "u" + arm + u)));
                double p = arm == ExperimentArm.CHAMPION ? pChampion : pChallenger;
                log.rate(id, 1, random.nextDouble() < p ? 1 : -1, T0.plusSeconds(u));
                if (arm == ExperimentArm.CHALLENGER && random.nextDouble() < challengerErrors) {
                    experiments.store().recordError(e.id(), arm, "user:u" + arm + u, T0.plusSeconds(u));
                }
            }
        }
    }
}
