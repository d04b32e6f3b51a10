package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each curate transform on its own, on in-memory data, with TestPipeline and PAssert. */
@ExtendWith(TestPipelineExtension.class)
class CurateTransformsTest {

    static final Instant T = Instant.parse("2026-11-23T00:00:00Z");

    static Curated env(String id, Message... messages) {
        return Curated.of(new Conversation(id, "test", T, T, List.of(messages), Map.of()));
    }

    static PCollection<String> ids(PCollection<Curated> in, String name) {
        return in.apply(name, MapElements.into(TypeDescriptors.strings()).via(e -> e.id()));
    }

    static PCollection<String> texts(PCollection<Curated> in, String name) {
        return in.apply(
                name,
                MapElements.into(TypeDescriptors.strings())
                        .via(e -> e.conversation().messages().get(0).content()));
    }

    @Test
    void normalizeComposesUnicodeTrimsAndDropsEmptyAndSystemOnly(TestPipeline p) {
        PCollection<Curated> out = p.apply(
                        "In",
                        Create.of(
                                env(
                                        "accent",
                                        Message.user("Cafe\u0301  \r\n\r\n\r\n\r\nok  "),
                                        Message.assistant("yes")),
                                env("empty", Message.user("   "), Message.assistant("\n")),
                                env("system", Message.system("rules only"))))
                .apply(new Normalize());
        PAssert.that(texts(out, "Text")).containsInAnyOrder("Caf\u00e9\n\nok");
        p.run().waitUntilFinish();
    }

    @Test
    void redactSecretsReplacesWithTypedPlaceholders(TestPipeline p) {
        PCollection<Curated> out = p.apply(
                        "In",
                        Create.of(env(
                                "s",
                                Message.user("reach me at a.b@example.com or 192.168.1.20"),
                                Message.assistant("ok"))))
                .apply(new RedactSecrets());
        PAssert.that(texts(out, "Text")).containsInAnyOrder("reach me at <EMAIL> or <IPV4>");
        p.run().waitUntilFinish();
    }

    @Test
    void dedupeKeepsOneOfEachExactAndNearClusterAndTheLongerOfContained(TestPipeline p) {
        String answer = "Flatten the back of the iron first, then hone the bevel at twenty five degrees, finish"
                + " on the finest stone and strop the burr away on leather charged with compound.";
        PCollection<Curated> out = p.apply(
                        "In",
                        Create.of(
                                env("a", Message.user("How do I sharpen a plane iron?"), Message.assistant(answer)),
                                env("b", Message.user("How do I sharpen a plane iron?"), Message.assistant(answer)),
                                env(
                                        "c",
                                        Message.user("How do I sharpen a plane iron quickly?"),
                                        Message.assistant(answer)),
                                env(
                                        "d",
                                        Message.user("How do I sharpen a plane iron?"),
                                        Message.assistant(answer),
                                        Message.user("And a chisel?"),
                                        Message.assistant("The same way, with a guide.")),
                                env(
                                        "e",
                                        Message.user("Which glue for oak?"),
                                        Message.assistant("A polyurethane glue."))))
                .apply(new Dedupe(0.8))
                .get(Curate.CURATED);
        PAssert.that(ids(out, "Ids")).containsInAnyOrder("d", "e");
        p.run().waitUntilFinish();
    }

    @Test
    void dedupeWithoutAnyCandidatePairPassesEverything(TestPipeline p) {
        PCollection<Curated> out = p.apply(
                        "In",
                        Create.of(
                                env(
                                        "a",
                                        Message.user("How do I sharpen a plane iron?"),
                                        Message.assistant("On a stone.")),
                                env(
                                        "b",
                                        Message.user("Which glue for oak?"),
                                        Message.assistant("A polyurethane glue."))))
                .apply(new Dedupe(0.8))
                .get(Curate.CURATED);
        PAssert.that(ids(out, "Ids")).containsInAnyOrder("a", "b");
        p.run().waitUntilFinish();
    }

    @Test
    void scoreFiltersRefusalsAndSplitIsStableAndDecontaminates(TestPipeline p) {
        PCollection<Curated> scored = p.apply(
                        "In",
                        Create.of(
                                env(
                                        "good",
                                        Message.user("Which glue for outdoor oak?"),
                                        Message.assistant(
                                                "A polyurethane or type one PVA glue; clamp it well for a day.")),
                                env(
                                        "refusal",
                                        Message.user("Help me"),
                                        Message.assistant("I'm sorry, as an AI I cannot help.")),
                                env(
                                        "leak",
                                        Message.user("What is the boiling point of water at sea level?"),
                                        Message.assistant("One hundred degrees Celsius at standard pressure."))))
                .apply(new Score(0.3))
                .apply(new Split(0.5, List.of("what is the boiling point of water at sea level?")));
        PAssert.that(scored.apply(
                        "Splits",
                        MapElements.into(TypeDescriptors.strings())
                                .via(e -> e.conversation().id() + "=" + e.split())))
                .containsInAnyOrder("good=" + Split.splitOf("good", 0.5));
        p.run().waitUntilFinish();
    }

    /** Fails on the conversation {@code boom}, as a broken scoring model would. */
    static final class FailingScorer implements ConversationScorer {
        private static final long serialVersionUID = 1L;

        @Override
        public QualityScorer.Score score(Conversation c, long clusterSize) {
            if (c.id().equals("boom")) {
                throw new IllegalStateException("model crashed on " + c.id());
            }
            return new QualityScorer().score(c, clusterSize);
        }

        @Override
        public String describe() {
            return "failing";
        }

        @Override
        public ConversationScorer withFeedback(Map<String, Double> meanFeedbackById) {
            return this;
        }
    }

    @Test
    void curateSendsAConversationAStageFailsOnToTheDeadLetterOutputAndCountsIt(TestPipeline p) {
        CurateJob.Settings settings = CurateJob.Settings.defaults().withScorer(new FailingScorer(), "test");
        org.apache.beam.sdk.values.PCollectionTuple out = p.apply(
                        "In",
                        Create.of(
                                        env(
                                                        "boom",
                                                        Message.user("Which glue for oak?"),
                                                        Message.assistant("A polyurethane glue, clamped for a day."))
                                                .conversation(),
                                        env(
                                                        "fine",
                                                        Message.user("How long should oil dry on walnut?"),
                                                        Message.assistant("A full day per coat in a warm room."))
                                                .conversation())
                                .withCoder(dev.tanrenai.beam.ConversationCoder.of()))
                .apply(Curate.with(settings));
        PAssert.that(ids(out.get(Curate.CURATED), "Ids")).containsInAnyOrder("fine");
        PAssert.that(out.get(Curate.DEAD_LETTER))
                .containsInAnyOrder("{\"stage\":\"dedupe\",\"id\":\"boom\",\"error\":"
                        + "\"java.lang.IllegalStateException: model crashed on boom\"}");
        org.apache.beam.sdk.PipelineResult result = p.run();
        result.waitUntilFinish();
        // dedupe scores each conversation (to choose keepers) before the Score step does
        org.junit.jupiter.api.Assertions.assertEquals(
                1L, CurateMetrics.counters(result).get("dead_letter.dedupe"));
    }

    @Test
    void dedupeSendsAnExactCopyTheScorerFailsOnToTheDeadLetterOutputAndKeepsTheOtherCopy(TestPipeline p) {
        CurateJob.Settings settings = CurateJob.Settings.defaults().withScorer(new FailingScorer(), "test");
        org.apache.beam.sdk.values.PCollectionTuple out = p.apply(
                        "In",
                        Create.of(
                                        env(
                                                        "boom",
                                                        Message.user("Which glue for oak?"),
                                                        Message.assistant("A polyurethane glue, clamped for a day."))
                                                .conversation(),
                                        env(
                                                        "copy",
                                                        Message.user("Which glue for oak?"),
                                                        Message.assistant("A polyurethane glue, clamped for a day."))
                                                .conversation(),
                                        env(
                                                        "fine",
                                                        Message.user("How long should oil dry on walnut?"),
                                                        Message.assistant("A full day per coat in a warm room."))
                                                .conversation())
                                .withCoder(dev.tanrenai.beam.ConversationCoder.of()))
                .apply(Curate.with(settings));
        PAssert.that(out.get(Curate.CURATED)
                        .apply(
                                "IdsAndCopies",
                                MapElements.into(TypeDescriptors.strings()).via(e -> e.id() + "x" + e.clusterSize())))
                .containsInAnyOrder("copyx1", "finex1");
        PAssert.that(out.get(Curate.DEAD_LETTER))
                .containsInAnyOrder("{\"stage\":\"dedupe\",\"id\":\"boom\",\"error\":"
                        + "\"java.lang.IllegalStateException: model crashed on boom\"}");
        org.apache.beam.sdk.PipelineResult result = p.run();
        result.waitUntilFinish();
        org.junit.jupiter.api.Assertions.assertEquals(
                1L, CurateMetrics.counters(result).get("dead_letter.dedupe"));
    }
}
