package dev.tanrenai.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.format.ChatFormat;
import dev.tanrenai.datasets.format.Envelope;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class ValidateConversationsTest {

    static String line(String id, String messagesJson) {
        return "{\"id\":\"" + id + "\",\"messages\":" + messagesJson + "}";
    }

    static final Map<String, String> CASES = new TreeMap<>(Map.of(
            "good",
                    line(
                            "good",
                            "[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}]"),
            "tool",
                    line(
                            "tool",
                            "[{\"role\":\"user\",\"content\":\"stock?\"},{\"role\":\"assistant\",\"content\":\"\","
                                    + "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"stock\",\"arguments\":\"{}\"}}]},"
                                    + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"4\"},{\"role\":\"assistant\",\"content\":\"four\"}]"),
            "malformed", "{not json",
            "badrole", line("badrole", "[{\"role\":\"robot\",\"content\":\"x\"}]"),
            "noanswer", line("noanswer", "[{\"role\":\"user\",\"content\":\"hi\"}]"),
            "order",
                    line(
                            "order",
                            "[{\"role\":\"assistant\",\"content\":\"hi\"},{\"role\":\"user\",\"content\":\"x\"}]"),
            "orphan",
                    line(
                            "orphan",
                            "[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"tool\",\"tool_call_id\":\"zz\",\"content\":\"4\"},"
                                    + "{\"role\":\"assistant\",\"content\":\"ok\"}]"),
            "unanswered",
                    line(
                            "unanswered",
                            "[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"\","
                                    + "\"tool_calls\":[{\"id\":\"c9\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]"),
            "utf8",
                    line(
                            "utf8",
                            "[{\"role\":\"user\",\"content\":\"bad \uFFFD byte\"},{\"role\":\"assistant\",\"content\":\"ok\"}]"),
            "huge",
                    line(
                            "huge",
                            "[{\"role\":\"user\",\"content\":\"" + "x".repeat(300)
                                    + "\"},{\"role\":\"assistant\",\"content\":\"ok\"}]")));

    @Test
    void validRecordsPassAndEveryBadOneIsQuarantinedWithItsReason(TestPipeline p) throws Exception {
        List<String> envelopes = CASES.entrySet().stream()
                .map(e -> Envelope.ofLine(e.getValue(), ChatFormat.OPENAI, "test:" + e.getKey(), "test"))
                .toList();
        PCollectionTuple out = p.apply("Envelopes", Create.of(envelopes))
                .apply(
                        "Incoming",
                        MapElements.into(TypeDescriptor.of(Incoming.class)).via(Incoming::envelope))
                .apply(new ValidateConversations(new ValidationRules(200, 50)));
        PAssert.that(out.get(ValidateConversations.VALID)
                        .apply(
                                "ValidIds",
                                MapElements.into(TypeDescriptors.strings()).via(c -> c.id())))
                .containsInAnyOrder("good", "tool");
        PAssert.that(out.get(ValidateConversations.QUARANTINED)
                        .apply(
                                "QuarantineReasons",
                                MapElements.into(TypeDescriptors.kvs(
                                                TypeDescriptors.strings(), TypeDescriptors.strings()))
                                        .via(q -> KV.of(field(q, "origin"), field(q, "reason")))))
                .containsInAnyOrder(
                        KV.of("test:malformed", "malformed"),
                        KV.of("test:badrole", "malformed"),
                        KV.of("test:noanswer", "no_assistant_turn"),
                        KV.of("test:order", "role_order"),
                        KV.of("test:orphan", "malformed"), // the codec already refuses a tool result nobody asked for
                        KV.of("test:unanswered", "tool_call_without_result"),
                        KV.of("test:utf8", "invalid_utf8"),
                        KV.of("test:huge", "too_large"));
        PAssert.thatSingleton(out.get(ValidateConversations.QUARANTINED).apply("CountQuarantined", Count.globally()))
                .isEqualTo(8L);
        var result = p.run();
        result.waitUntilFinish();
        assertEquals(2, ExtractMetrics.counters(result).get("valid"));
        assertEquals(1, ExtractMetrics.counters(result).get("quarantined.role_order"));
    }

    static String field(String json, String name) {
        try {
            return new ObjectMapper().readTree(json).get(name).asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
