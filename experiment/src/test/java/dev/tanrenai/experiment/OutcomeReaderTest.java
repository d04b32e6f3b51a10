package dev.tanrenai.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 §1: per-arm outcomes read back from a real SQLite store, counted per user and conversation. */
class OutcomeReaderTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void countsEachArmsAnswersRatingsRegenerationsAndFailuresPerUser() {
        TanrenaiHome home = new TanrenaiHome(dir.resolve("home")).initialize();
        ConversationStore store = new ConversationStore(Database.open(home.defaultJdbcUrl()));
        ServedLog log = new ServedLog(store);
        // before the experiment: the champion answered user C, who rated it up; it must not count
        log.store(
                "c1",
                List.of(Message.user("q"), Message.assistant("old")),
                Map.of(1, turn(ExperimentArm.CHAMPION, -3600, 50, "C")));
        log.rate("c1", 1, 1, T0.minusSeconds(3000));
        ExperimentStore experiments = new ExperimentStore(store.database());
        Experiment e = experiments.start(
                "champ",
                "chall",
                0.5,
                ExperimentConfig.defaults(),
                store.stats().lastSequence(),
                T0,
                "test");

        // champion: user A (two conversations, ratings down, up, down), user B (one answer, up)
        log.store(
                "a1",
                List.of(Message.user("q1"), Message.assistant("x")),
                Map.of(1, turn(ExperimentArm.CHAMPION, 10, 100, "A")));
        log.store(
                "a2",
                List.of(Message.user("q2"), Message.assistant("y"), Message.user("more"), Message.assistant("z")),
                Map.of(1, turn(ExperimentArm.CHAMPION, 20, 200, "A"), 3, turn(ExperimentArm.CHAMPION, 30, 300, "A")));
        log.store(
                "b1",
                List.of(Message.user("q3"), Message.assistant("w")),
                Map.of(1, turn(ExperimentArm.CHAMPION, 40, 400, "B")));
        log.rate("a1", 1, -1, T0.plusSeconds(50));
        log.rate("a2", 1, 1, T0.plusSeconds(51));
        log.rate("a2", null, -1, T0.plusSeconds(52)); // no index: the last answer (3)
        log.rate("b1", 1, 1, T0.plusSeconds(53));
        // challenger: user D asks the same prefix again (a fork of d1 replacing its answer), rates both up;
        // user E (no user id: keyed by conversation) gets a tool call, rates it 0.5, and one failure
        log.store(
                "d1",
                List.of(Message.user("q4"), Message.assistant("v")),
                Map.of(1, turn(ExperimentArm.CHALLENGER, 60, 1000, "D")));
        log.store(
                "d1-0123456789ab",
                List.of(Message.user("q4"), Message.assistant("v2")),
                Map.of(1, turn(ExperimentArm.CHALLENGER, 70, 1100, "D")));
        Message tool = new Message(Role.ASSISTANT, "", List.of(new ToolCall("call1", "f", "{}")), null, null, null);
        log.store("e1", List.of(Message.user("q5"), tool), Map.of(1, turn(ExperimentArm.CHALLENGER, 80, 1200, null)));
        log.rate("d1", 1, 1, T0.plusSeconds(90));
        log.rate("d1-0123456789ab", 1, 1, T0.plusSeconds(91));
        log.rate("e1", 1, 0.5, T0.plusSeconds(92));
        experiments.recordError(e.id(), ExperimentArm.CHALLENGER, "conversation:e1", T0.plusSeconds(93));
        experiments.recordError(e.id(), ExperimentArm.CHALLENGER, "(failed requests)", T0.plusSeconds(94));
        // user C continues the pre-experiment conversation: only the new answer counts, and a late rating of
        // the old answer does not
        log.store(
                "c1",
                List.of(Message.user("q"), Message.assistant("old"), Message.user("again"), Message.assistant("new")),
                Map.of(3, turn(ExperimentArm.CHAMPION, 95, 500, "C")));
        log.rate("c1", 1, 1, T0.plusSeconds(96));

        Map<ExperimentArm, ArmOutcomes> out = OutcomeReader.read(store, experiments, e);
        ArmSummary champion = out.get(ExperimentArm.CHAMPION).summary();
        assertEquals(3, champion.users()); // A, B and C
        assertEquals(4, champion.conversations());
        assertEquals(5, champion.turns());
        assertEquals(4, champion.ratings());
        assertEquals(2, champion.ups());
        assertEquals(2, champion.downs());
        assertEquals(0.0, champion.meanRating(), 1e-12);
        assertEquals(2, champion.ratedUsers());
        assertEquals((1 / 3.0 + 1.0) / 2, champion.primary().mean(), 1e-12); // A: 1/3, B: 1
        assertEquals(1, champion.continued()); // a2's first answer; the others ended their conversation
        assertEquals(4, champion.abandoned());
        assertEquals(300, champion.p50LatencyMs());
        assertEquals(500, champion.p95LatencyMs());
        assertEquals(50, champion.promptTokens());
        assertEquals(0, champion.errors());

        ArmSummary challenger = out.get(ExperimentArm.CHALLENGER).summary();
        assertEquals(2, challenger.users()); // user:D and conversation:e1
        assertEquals(3, challenger.conversations());
        assertEquals(3, challenger.turns());
        assertEquals(1, challenger.regenerations());
        assertEquals(1, challenger.toolCallTurns());
        assertEquals(2, challenger.errors());
        assertEquals(0.4, challenger.errorRate(), 1e-12); // 2 failures of 5 attempts
        assertEquals((1.0 + 0.75) / 2, challenger.primary().mean(), 1e-12);
        assertEquals(2, out.get(ExperimentArm.CHALLENGER).users().get("user:D").ratings());
    }

    private static ServedLog.Turn turn(ExperimentArm arm, long secondsAfterStart, long latencyMs, String user) {
        return new ServedLog.Turn(
                arm,
                arm == ExperimentArm.CHAMPION ? "champ" : "chall",
                T0.plusSeconds(secondsAfterStart),
                latencyMs,
                user);
    }
}
