package dev.tanrenai.extract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.format.ConversationFormatException;
import dev.tanrenai.datasets.format.Envelope;
import dev.tanrenai.datasets.format.RejectKind;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Validates incoming records ({@link Incoming}): envelopes are decoded (the one parse a record
 * gets), conversations that pass {@link ValidationRules} go to {@link #VALID} as typed
 * {@link Conversation}s ({@link dev.tanrenai.beam.ConversationCoder}); every other one goes to {@link #QUARANTINED} as a JSON line with its
 * reason, detail, origin and the record — and is counted in the Beam metric
 * {@code extract/quarantined.<reason>}. Nothing is dropped silently.
 */
public final class ValidateConversations extends PTransform<PCollection<Incoming>, PCollectionTuple> {

    public static final TupleTag<Conversation> VALID = new TupleTag<>() {};
    public static final TupleTag<String> QUARANTINED = new TupleTag<>() {};
    public static final String NAMESPACE = "extract";

    private final ValidationRules rules;

    public ValidateConversations(ValidationRules rules) {
        this.rules = rules;
    }

    @Override
    public PCollectionTuple expand(PCollection<Incoming> incoming) {
        PCollectionTuple out = incoming.apply(
                "Validate", ParDo.of(new ValidateFn(rules)).withOutputTags(VALID, TupleTagList.of(QUARANTINED)));
        out.get(VALID).setCoder(dev.tanrenai.beam.ConversationCoder.of());
        out.get(QUARANTINED).setCoder(org.apache.beam.sdk.coders.StringUtf8Coder.of());
        return out;
    }

    /** Parses and checks one envelope. */
    static final class ValidateFn extends DoFn<Incoming, Conversation> {
        private static final long serialVersionUID = 1L;
        private static final ObjectMapper JSON = new ObjectMapper();

        private final ValidationRules rules;
        private final Counter valid = Metrics.counter(NAMESPACE, "valid");

        ValidateFn(ValidationRules rules) {
            this.rules = rules;
        }

        @ProcessElement
        public void process(@Element Incoming in, MultiOutputReceiver out) {
            Conversation c = in.conversation();
            if (c == null) {
                String envelope = in.envelope();
                try {
                    c = Envelope.decode(envelope);
                } catch (ConversationFormatException e) {
                    quarantine(out, envelope, reason(e.kind()), e.getMessage());
                    return;
                } catch (RuntimeException e) {
                    quarantine(out, envelope, "malformed", e.getClass().getSimpleName() + ": " + e.getMessage());
                    return;
                }
            }
            ValidationRules.Problem problem = rules.check(c);
            if (problem != null) {
                quarantine(out, in.asEnvelope(), problem.reason(), problem.detail());
                return;
            }
            valid.inc();
            out.get(VALID).output(c);
        }

        /** The quarantine reason of a record that does not decode. */
        static String reason(RejectKind kind) {
            return switch (kind) {
                case INVALID_UTF8 -> "invalid_utf8";
                case IMPLAUSIBLE_TIME -> "implausible_time";
                case LINE_TOO_LONG,
                        INVALID_JSON,
                        INVALID_FIELD,
                        MESSAGE_TOO_LONG,
                        UNSUPPORTED_CONTENT,
                        CONFLICTS_WITH_STORE -> "malformed";
            };
        }

        private static void quarantine(MultiOutputReceiver out, String envelope, String reason, String detail) {
            Metrics.counter(NAMESPACE, "quarantined." + reason).inc();
            ObjectNode q = JSON.createObjectNode();
            q.put("reason", reason);
            q.put("detail", detail);
            q.put("origin", Envelope.origin(envelope));
            q.put("envelope", envelope);
            out.get(QUARANTINED).output(q.toString());
        }
    }
}
