package dev.tanrenai.curate;

import dev.tanrenai.beam.ConversationCoder;
import dev.tanrenai.beam.Versions;
import dev.tanrenai.datasets.Conversation;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * One version per conversation id when several extracted snapshots are curated together (a batch
 * left uncurated by a killed run, and the next one): the later by {@link Versions#LATER} (last
 * updated, then longer, then the greater encoding), so the choice never depends on the order the
 * runner sees them. Each version dropped is counted as {@code curate/superseded}.
 */
public final class LatestVersions
        extends org.apache.beam.sdk.transforms.PTransform<PCollection<Conversation>, PCollection<Conversation>> {

    @Override
    public PCollection<Conversation> expand(PCollection<Conversation> conversations) {
        return conversations
                .apply("ById", WithKeys.of((Conversation c) -> c.id()).withKeyType(TypeDescriptors.strings()))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), ConversationCoder.of()))
                .apply("Latest", Combine.perKey(new Latest()))
                .apply("Conversations", Values.create());
    }

    /** Keeps the later of each pair, counting the other as superseded. */
    static final class Latest implements SerializableFunction<Iterable<Conversation>, Conversation> {
        private static final long serialVersionUID = 1L;
        private final Counter superseded = Metrics.counter(CurateMetrics.NAMESPACE, "superseded");

        @Override
        public Conversation apply(Iterable<Conversation> versions) {
            Conversation best = null;
            for (Conversation v : versions) {
                if (best == null) {
                    best = v;
                } else {
                    best = Versions.compare(v, best) > 0 ? v : best;
                    superseded.inc();
                }
            }
            return best;
        }
    }
}
