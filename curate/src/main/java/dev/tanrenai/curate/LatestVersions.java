package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.format.ConversationFormatException;
import dev.tanrenai.datasets.format.Envelope;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * One version per conversation id when several extracted snapshots are curated together (a batch
 * left uncurated by a killed run, and the next one): the one last updated, then the longer, then the
 * greater envelope text, so the choice never depends on the order the runner sees them. Each
 * version dropped is counted as {@code curate/superseded}.
 */
public final class LatestVersions extends PTransform<PCollection<String>, PCollection<String>> {

    @Override
    public PCollection<String> expand(PCollection<String> envelopes) {
        return envelopes
                .apply("ById", ParDo.of(new ById()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
                .apply("Latest", Combine.perKey(new Latest()))
                .apply("Envelopes", Values.create());
    }

    static final class ById extends DoFn<String, KV<String, String>> {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element String envelope, OutputReceiver<KV<String, String>> out) {
            out.output(KV.of(decode(envelope).id(), envelope));
        }
    }

    /** Keeps the later of each pair, counting the other as superseded. */
    static final class Latest implements SerializableFunction<Iterable<String>, String> {
        private static final long serialVersionUID = 1L;
        private final Counter superseded = Metrics.counter(CurateMetrics.NAMESPACE, "superseded");

        @Override
        public String apply(Iterable<String> versions) {
            String best = null;
            for (String v : versions) {
                if (best == null) {
                    best = v;
                } else {
                    best = later(best, v);
                    superseded.inc();
                }
            }
            return best;
        }
    }

    /** The later of two versions of one conversation (see the class comment). */
    static String later(String a, String b) {
        Conversation x = decode(a);
        Conversation y = decode(b);
        int byTime = x.updatedAt().compareTo(y.updatedAt());
        if (byTime != 0) {
            return byTime > 0 ? a : b;
        }
        int bySize = Integer.compare(x.messages().size(), y.messages().size());
        if (bySize != 0) {
            return bySize > 0 ? a : b;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Conversation decode(String envelope) {
        try {
            return Envelope.decode(envelope);
        } catch (ConversationFormatException e) {
            throw new IllegalStateException(
                    "a snapshot row no longer decodes (" + Envelope.origin(envelope) + "): " + e.getMessage(), e);
        }
    }
}
