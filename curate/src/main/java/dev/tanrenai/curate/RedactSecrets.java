package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Replaces secrets and personal data in every message and tool-call argument with typed
 * placeholders ({@link Redactor}); counts each kind ({@code curate/redacted.<KIND>}).
 */
public final class RedactSecrets extends PTransform<PCollection<String>, PCollection<String>> {

    @Override
    public PCollection<String> expand(PCollection<String> input) {
        return input.apply("Redact", ParDo.of(new RedactFn()));
    }

    static final class RedactFn extends DoFn<String, String> {
        private static final long serialVersionUID = 1L;
        private final Redactor redactor = new Redactor();

        @ProcessElement
        public void process(@Element String envelope, OutputReceiver<String> out) {
            Conversation c = Curated.conversation(envelope);
            List<Message> messages = new ArrayList<>();
            for (Message m : c.messages()) {
                String content = redact(m.content());
                List<ToolCall> calls = new ArrayList<>();
                for (ToolCall call : m.toolCalls()) {
                    calls.add(new ToolCall(call.id(), call.name(), redact(call.argumentsJson())));
                }
                messages.add(new Message(m.role(), content, calls, m.toolCallId(), m.name(), m.producedBy()));
            }
            out.output(Curated.replace(
                    envelope,
                    new Conversation(c.id(), c.source(), c.createdAt(), c.updatedAt(), messages, c.metadata())));
        }

        private String redact(String text) {
            Redactor.Result r = redactor.redact(text);
            for (Map.Entry<Redactor.Kind, Integer> e : r.counts().entrySet()) {
                Metrics.counter(
                                CurateMetrics.NAMESPACE,
                                "redacted." + e.getKey().name())
                        .inc(e.getValue());
            }
            return r.text();
        }
    }
}
