package dev.tanrenai.curate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class CuratedCoderTest {

    static final Conversation C = new Conversation(
            "c-1",
            "serve",
            Instant.parse("2026-11-23T00:00:00Z"),
            Instant.parse("2026-11-23T00:00:01Z"),
            List.of(Message.user("q?"), Message.assistant("a.")),
            Map.of("k", "v"));

    @Test
    void roundTripsBeforeAndAfterEveryStage() throws Exception {
        CoderProperties.coderDecodeEncodeEqual(CuratedCoder.of(), Curated.of(C));
        Curated done = Curated.of(C)
                .withCopies(3, 5)
                .withScore(0.8125, "{\"refusal\":-1.5}")
                .withSplit("train");
        CoderProperties.coderDecodeEncodeEqual(CuratedCoder.of(), done);
        assertEquals(5L, done.row().extras().get("cluster_size"));
        assertEquals("train", done.row().extras().get("split"));
    }

    @Test
    void isTheDefaultCoderOfCuratedAndLink() throws Exception {
        Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
        assertSame(CuratedCoder.of(), p.getCoderRegistry().getCoder(Curated.class));
        assertSame(Link.Coder.of(), p.getCoderRegistry().getCoder(Link.class));
        CoderProperties.coderDecodeEncodeEqual(Link.Coder.of(), Link.partner("c-2"));
        CoderProperties.coderDecodeEncodeEqual(Link.Coder.of(), Link.involved());
    }
}
