package dev.tanrenai.extract;

import dev.tanrenai.beam.ConversationCoder;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.format.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A record on its way into {@link ValidateConversations}: either a raw envelope from an import file
 * (a line that may be anything; decoded once, by the validation) or a conversation already decoded
 * by its source (the store, a snapshot), with its origin.
 *
 * @param origin where it came from ({@code store:SEQ}, {@code snapshot:ID}); null for an envelope,
 *     which carries its own
 * @param envelope the raw envelope, or null
 * @param conversation the decoded conversation, or null
 */
@DefaultCoder(Incoming.Coder.class)
public record Incoming(String origin, String envelope, Conversation conversation) {

    public Incoming {
        if ((envelope == null) == (conversation == null)) {
            throw new IllegalArgumentException("an incoming record is either an envelope or a conversation");
        }
        if (conversation != null && origin == null) {
            throw new IllegalArgumentException("conversation " + conversation.id() + " needs its origin");
        }
    }

    public static Incoming envelope(String envelope) {
        return new Incoming(null, envelope, null);
    }

    public static Incoming decoded(String origin, Conversation c) {
        return new Incoming(origin, null, c);
    }

    /** The envelope, made from the conversation when it came decoded (for the quarantine). */
    public String asEnvelope() {
        return envelope != null ? envelope : Envelope.of(conversation, origin);
    }

    /** The binary coder: a flag, then the envelope or the origin and conversation. */
    public static final class Coder extends CustomCoder<Incoming> {
        private static final long serialVersionUID = 1L;
        private static final Coder INSTANCE = new Coder();

        public static Coder of() {
            return INSTANCE;
        }

        public static CoderProvider getCoderProvider() {
            return CoderProviders.forCoder(TypeDescriptor.of(Incoming.class), INSTANCE);
        }

        @Override
        public void encode(Incoming value, OutputStream out) throws IOException {
            if (value.envelope() != null) {
                out.write(0);
                StringUtf8Coder.of().encode(value.envelope(), out);
            } else {
                out.write(1);
                StringUtf8Coder.of().encode(value.origin(), out);
                ConversationCoder.of().encode(value.conversation(), out);
            }
        }

        @Override
        public Incoming decode(InputStream in) throws IOException {
            int flag = in.read();
            return switch (flag) {
                case 0 -> envelope(StringUtf8Coder.of().decode(in));
                case 1 ->
                    decoded(
                            StringUtf8Coder.of().decode(in),
                            ConversationCoder.of().decode(in));
                default -> throw new CoderException("an Incoming record starts with 0 or 1, read " + flag);
            };
        }

        @Override
        public void verifyDeterministic() {}
    }
}
