package dev.tanrenai.curate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Dedupe against the persistent history index of conversations already trained on. */
@ExtendWith(TestPipelineExtension.class)
class HistoryIndexTest {

    static final Instant T = Instant.parse("2026-11-23T00:00:00Z");
    static final String ANSWER = "Hone the bevel on a fine stone, keep the angle steady, then strop the burr away "
            + "on leather until the edge shaves hair cleanly; finish with a few light passes on the back.";

    static Conversation c(String id, Message... messages) {
        return new Conversation(id, "test", T, T, List.of(messages), Map.of());
    }

    static final Conversation TRAINED =
            c("trained", Message.user("How do I sharpen a plane iron?"), Message.assistant(ANSWER));
    static final Conversation OTHER = c(
            "other",
            Message.user("Which glue for oak?"),
            Message.assistant("A polyurethane glue "
                    + "works well outdoors; hide glue is reversible and traditional for furniture indoors."));

    @Test
    void newConversationsThatRepeatHistoryAreDroppedAndCounted(TestPipeline p, @TempDir Path dir) {
        Path index = dir.resolve("history");
        HistoryIndex.replace(index, "t-run1", List.of(TRAINED, OTHER).iterator());
        List<Curated> batch = List.of(
                Curated.of(c(
                        "near",
                        Message.user("How do I sharpen a plane iron?"),
                        Message.assistant(ANSWER.replace("until the edge", "till the edge")))),
                Curated.of(c(
                        "earlier",
                        Message.user("How do I sharpen a plane iron?"),
                        Message.assistant(ANSWER.substring(0, 150)))),
                Curated.of(c(
                        "extends",
                        TRAINED.messages().get(0),
                        TRAINED.messages().get(1),
                        Message.user("And what grit should the final stone be for a smoothing plane?"),
                        Message.assistant("Eight thousand grit or finer, then a strop with green compound for the "
                                + "last polish; a coarser finish leaves scratches you can see in the shavings."))),
                Curated.of(
                        c(
                                "fresh",
                                Message.user("How long should oil dry on walnut?"),
                                Message.assistant(
                                        "Give each coat of oil a full day in a warm room and wipe off what stays wet after an hour."))));
        PCollection<Curated> out =
                p.apply(Create.of(batch)).apply(new Dedupe(0.8, index)).get(Curate.CURATED);
        PAssert.that(CurateTransformsTest.ids(out, "Ids")).containsInAnyOrder("extends", "fresh");
        PipelineResult result = p.run();
        result.waitUntilFinish();
        assertEquals(2L, CurateMetrics.counters(result).get("duplicates.history"), "near + earlier state");
    }

    @Test
    void replacingAnOriginIsIdempotentAndFingerprinted(@TempDir Path dir) {
        Path index = dir.resolve("history");
        assertEquals("", HistoryIndex.fingerprint(index), "no index yet");
        HistoryIndex.OriginSummary first =
                HistoryIndex.replace(index, "t-run1", List.of(TRAINED).iterator());
        String fingerprint = HistoryIndex.fingerprint(index);
        HistoryIndex.OriginSummary again =
                HistoryIndex.replace(index, "t-run1", List.of(TRAINED).iterator());
        assertEquals(first, again);
        assertEquals(fingerprint, HistoryIndex.fingerprint(index), "the same origin added twice changes nothing");
        HistoryIndex.replace(index, "replay", List.of(OTHER).iterator());
        assertNotEquals(fingerprint, HistoryIndex.fingerprint(index));
        assertEquals(
                List.of("replay", "t-run1"),
                List.copyOf(HistoryIndex.origins(index).keySet()));
        HistoryIndex.replace(index, "replay", List.<Conversation>of().iterator());
        assertEquals(fingerprint, HistoryIndex.fingerprint(index), "an emptied origin is gone");
    }

    @Test
    void aCorruptIndexIsRefusedWithItsPath(@TempDir Path dir) throws IOException {
        Path index = Files.createDirectories(dir.resolve("history"));
        Files.writeString(index.resolve("segments_1"), "not a lucene index");
        HistoryIndexException e =
                assertThrows(HistoryIndexException.class, () -> HistoryIndex.Matcher.open(index, MinHash.defaults()));
        assertTrue(e.getMessage().contains(index.toString()), e.getMessage());
    }
}
