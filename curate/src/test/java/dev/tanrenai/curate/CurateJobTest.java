package dev.tanrenai.curate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.snapshot.CloseableIterator;
import dev.tanrenai.datasets.snapshot.ConversationRow;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.datasets.snapshot.SnapshotProvenance;
import dev.tanrenai.datasets.snapshot.SnapshotWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Curate end to end: exactly the expected counts, no planted secret survives, and a rerun gives the same snapshot. */
class CurateJobTest {

    static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path dir;

    static Conversation c(String id, String user, String assistant) {
        return new Conversation(id, "serve", T, T, List.of(Message.user(user), Message.assistant(assistant)), Map.of());
    }

    static final String LONG_ANSWER = "Heat the chisel to about two hundred degrees for one hour, then let it cool in"
            + " still air; the edge keeps its hardness while the steel loses the brittleness quenching left.";

    List<Conversation> input() {
        List<Conversation> out = new ArrayList<>();
        String[][] topics = {
            {
                "Why does my plane iron chatter on end grain?",
                "Bed the iron flat, set the cap iron close to the edge and take a thinner shaving; a low angle helps."
            },
            {
                "Which glue suits outdoor furniture joints?",
                "Use a polyurethane or a type one polyvinyl acetate glue; clamp firmly and let it cure a full day."
            },
            {
                "How do I set the teeth of a rip saw?",
                "Bend alternate teeth outward by a third of the plate thickness with a saw set, then joint and file."
            },
            {
                "What grit sequence flattens a water stone?",
                "Rub it on a diamond plate or wet silicon carbide paper on glass until a pencil grid is gone."
            },
            {
                "Can I quench tool steel in vegetable oil?",
                "For oil-hardening grades warm canola oil works; water-hardening steels need brine instead."
            },
            {
                "How do I stop a dovetail joint from gapping?",
                "Saw on the waste side of the line, pare to the knife wall and test the fit dry before gluing."
            }
        };
        for (int i = 0; i < topics.length; i++) {
            out.add(c("plain-" + i, topics[i][0], topics[i][1]));
        }
        out.add(c(
                "secret",
                "my key is sk-canaryABCDEFGHIJKLMNOP1234 and mail jane@example.org",
                "Please rotate sk-canaryABCDEFGHIJKLMNOP1234 at once: anyone who read this chat can use it; revoke"
                        + " the old key in the provider's console before you create a new one."));
        out.add(c("exact-a", "How long should I temper a chisel?", LONG_ANSWER));
        out.add(c("exact-b", "How long   should I temper a chisel?", LONG_ANSWER)); // same after normalization
        out.add(c("near", "How long should I temper a chisel please?", LONG_ANSWER.replace("one hour", "an hour")));
        out.add(new Conversation(
                "multi",
                "serve",
                T,
                T,
                List.of(
                        Message.user("How long should I temper a chisel?"), Message.assistant(LONG_ANSWER),
                        Message.user("And a plane iron?"),
                                Message.assistant("The same: two hundred degrees, one hour.")),
                Map.of()));
        out.add(c("refusal", "Write the tempering guide.", "I'm sorry, as an AI I cannot help with that."));
        out.add(c(
                "eval-leak",
                "What is the boiling point of water at sea level in celsius?",
                "It boils at one hundred degrees Celsius at standard pressure, lower on a mountain."));
        out.add(new Conversation("system-only", "serve", T, T, List.of(Message.system("You are helpful.")), Map.of()));
        return out;
    }

    DatasetSnapshot snapshot(List<Conversation> conversations) throws Exception {
        return new SnapshotWriter()
                .write(
                        dir.resolve("datasets"),
                        "extracted",
                        conversations.iterator(),
                        SnapshotProvenance.of(List.of(), Map.of(), null),
                        Map.of());
    }

    @Test
    void curatesWithExactCountsAndNoSecretSurvives() throws Exception {
        DatasetSnapshot in = snapshot(input());
        CurateJob.Settings settings = new CurateJob.Settings(
                0.8, 0.3, 0.2, List.of("What is the boiling point of water at sea level in celsius?"));
        CurateJob.Result r =
                CurateJob.run(in, dir.resolve("datasets"), "curated", settings, List.of(), dir.resolve("work"));
        Map<String, Long> counts = r.counts();
        assertEquals(14L, counts.get("read"));
        assertEquals(1L, counts.get("dropped.system_only"), counts.toString());
        assertEquals(1L, counts.get("duplicates.exact"), counts.toString());
        assertEquals(2L, counts.get("duplicates.near"), "near + the conversation contained in 'multi': " + counts);
        assertEquals(1L, counts.get("filtered.low_quality"), counts.toString());
        assertEquals(1L, counts.get("dropped.contaminated"), counts.toString());
        assertEquals(2L, counts.get("redacted.API_KEY"), counts.toString());
        assertEquals(1L, counts.get("redacted.EMAIL"), counts.toString());
        assertEquals(8L, counts.get("written"));
        assertEquals(
                counts.get("written"),
                counts.getOrDefault("written.train", 0L) + counts.getOrDefault("written.heldout", 0L));
        assertEquals(8, r.snapshot().rowCount());

        List<String> ids = new ArrayList<>();
        try (CloseableIterator<ConversationRow> it = r.snapshot().readRows()) {
            while (it.hasNext()) {
                ConversationRow row = it.next();
                ids.add(row.conversation().id());
                for (Message m : row.conversation().messages()) {
                    assertFalse(m.content().contains("canary") || m.content().contains("jane@"), m.content());
                }
                assertEquals(
                        Split.splitOf(row.conversation().id(), 0.2),
                        row.extras().get("split"));
                assertTrue((Double) row.extras().get("quality_score") >= 0.3);
            }
        }
        assertTrue(ids.contains("multi") && !ids.contains("exact-b") && !ids.contains("near"), ids.toString());

        CurateJob.Result again =
                CurateJob.run(in, dir.resolve("datasets"), "curated", settings, List.of(), dir.resolve("work"));
        assertEquals(r.snapshot().id(), again.snapshot().id(), "same input, same snapshot");

        CurateReport report = new CurateReport(in, r, settings);
        String text = report.text();
        assertTrue(text.contains("exact 1, near 2") && text.contains("api_key 2") && text.contains("train "), text);
        Path written = report.write(dir.resolve("report"));
        assertEquals(text, Files.readString(written.resolve("report.txt")));
        assertEquals(
                14,
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(written.resolve("report.json").toFile())
                        .path("counts")
                        .path("read")
                        .asInt());
    }

    @Test
    void conversationsAlreadyTrainedOnAreDroppedOnTheNextRun() throws Exception {
        DatasetSnapshot in = snapshot(input());
        CurateJob.Settings settings = CurateJob.Settings.defaults().withHistoryIndex(dir.resolve("history"));
        CurateJob.Result first =
                CurateJob.run(in, dir.resolve("datasets"), "curated", settings, List.of(), dir.resolve("work"));
        assertEquals(0L, first.counts().getOrDefault("duplicates.history", 0L), "empty history");
        try (CloseableIterator<dev.tanrenai.datasets.Conversation> trained =
                first.snapshot().read()) {
            HistoryIndex.replace(dir.resolve("history"), "t-run1", trained);
        }
        CurateJob.Result second =
                CurateJob.run(in, dir.resolve("datasets"), "curated", settings, List.of(), dir.resolve("work"));
        assertEquals(
                0L, second.counts().get("written"), "a near duplicate of a trained one goes too: " + second.counts());
        assertTrue(
                second.counts().get("duplicates.history") >= first.snapshot().rowCount(),
                second.counts().toString());
        assertTrue(
                String.valueOf(second.snapshot()
                                .manifest()
                                .provenance()
                                .config()
                                .get("dedupeHistory"))
                        .startsWith("sha256:"),
                "the history's fingerprint is in the provenance");
    }
}
