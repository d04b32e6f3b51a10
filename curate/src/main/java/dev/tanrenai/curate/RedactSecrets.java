package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Replaces secrets and personal data in every message, tool-call argument and metadata value with typed
 * placeholders ({@link Redactor}); counts each kind ({@code curate/redacted.<KIND>}).
 */
public final class RedactSecrets extends PTransform<PCollection<Curated>, PCollection<Curated>> {

    CurateStep step() {
        return new RedactFn();
    }

    @Override
    public PCollection<Curated> expand(PCollection<Curated> input) {
        return input.apply("Redact", ParDo.of(new RedactFn()));
    }

    /**
     * {@code c} with every message's content, tool-call arguments and metadata values redacted; each replacement is
     * reported to {@code found} by kind.
     */
    public static Conversation redact(Conversation c, Redactor redactor, BiConsumer<Redactor.Kind, Integer> found) {
        List<Message> messages = new ArrayList<>();
        for (Message m : c.messages()) {
            String content = redact(m.content(), redactor, found);
            List<ToolCall> calls = new ArrayList<>();
            for (ToolCall call : m.toolCalls()) {
                calls.add(new ToolCall(call.id(), call.name(), redact(call.argumentsJson(), redactor, found)));
            }
            messages.add(new Message(m.role(), content, calls, m.toolCallId(), m.name(), m.producedBy()));
        }
        java.util.Map<String, String> metadata = new java.util.TreeMap<>();
        c.metadata().forEach((key, value) -> metadata.put(key, redact(value, redactor, found)));
        return new Conversation(c.id(), c.source(), c.createdAt(), c.updatedAt(), messages, metadata);
    }

    private static String redact(String text, Redactor redactor, BiConsumer<Redactor.Kind, Integer> found) {
        Redactor.Result r = redactor.redact(text);
        r.counts().forEach(found);
        return r.text();
    }

    static final class RedactFn extends DoFn<Curated, Curated> implements CurateStep {
        private static final long serialVersionUID = 1L;
        private final Redactor redactor = new Redactor();

        @ProcessElement
        public void process(@Element Curated element, OutputReceiver<Curated> out) {
            Conversation redacted = redact(element.conversation(), redactor, (kind, n) -> Metrics.counter(
                            CurateMetrics.NAMESPACE, "redacted." + kind.name())
                    .inc(n));
            out.output(element.with(redacted));
        }
    }
}
