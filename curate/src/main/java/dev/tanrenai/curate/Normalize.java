package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Unicode NFC, line endings to {@code \n}, trailing spaces and runs of blank lines trimmed, outer
 * whitespace stripped; conversations left empty or holding only system messages are dropped and
 * counted ({@code curate/dropped.empty}, {@code curate/dropped.system_only}).
 */
public final class Normalize extends PTransform<PCollection<Curated>, PCollection<Curated>> {

    CurateStep step() {
        return new NormalizeFn();
    }

    @Override
    public PCollection<Curated> expand(PCollection<Curated> input) {
        return input.apply("NormalizeText", ParDo.of(new NormalizeFn()));
    }

    /** The text as Normalize leaves it. */
    public static String text(String s) {
        String t = Normalizer.normalize(s, Normalizer.Form.NFC)
                .replace("\r\n", "\n")
                .replace('\r', '\n');
        t = t.replaceAll("[ \\t\\u00A0]+\\n", "\n").replaceAll("\\n{3,}", "\n\n");
        return t.strip();
    }

    /** Each message's text normalized ({@link #text}); messages left empty (and not tool traffic) are dropped. */
    public static List<Message> messages(List<Message> in) {
        List<Message> messages = new ArrayList<>();
        for (Message m : in) {
            String t = text(m.content());
            if (t.isEmpty() && m.toolCalls().isEmpty() && m.role() != Role.TOOL) {
                continue;
            }
            messages.add(new Message(m.role(), t, m.toolCalls(), m.toolCallId(), m.name(), m.producedBy()));
        }
        return messages;
    }

    static final class NormalizeFn extends DoFn<Curated, Curated> implements CurateStep {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element Curated element, OutputReceiver<Curated> out) {
            Conversation c = element.conversation();
            List<Message> messages = messages(c.messages());
            if (messages.isEmpty()) {
                Metrics.counter(CurateMetrics.NAMESPACE, "dropped.empty").inc();
                return;
            }
            if (messages.stream().allMatch(m -> m.role() == Role.SYSTEM)) {
                Metrics.counter(CurateMetrics.NAMESPACE, "dropped.system_only").inc();
                return;
            }
            Metrics.counter(CurateMetrics.NAMESPACE, "normalized").inc();
            out.output(element.with(
                    new Conversation(c.id(), c.source(), c.createdAt(), c.updatedAt(), messages, c.metadata())));
        }
    }
}
