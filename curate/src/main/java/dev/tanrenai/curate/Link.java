package dev.tanrenai.curate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A value of {@link Dedupe}'s joins by conversation id, typed: the conversation's own
 * {@link Sketch}, a partner's id (a candidate pair found through a shared lookup key), the mark that
 * it is the larger id of some pair, or the first member's sketch of a pair, sent to the second.
 *
 * @param partner the partner's id ({@link Kind#PARTNER} only)
 * @param sketch encoded {@link Sketch} ({@link Kind#SKETCH}, {@link Kind#FIRST} only)
 */
@DefaultCoder(Link.Coder.class)
record Link(Kind kind, String partner, byte[] sketch) {

    enum Kind {
        SKETCH,
        PARTNER,
        INVOLVED,
        FIRST
    }

    Link {
        Objects.requireNonNull(kind, "kind");
        boolean needsPartner = kind == Kind.PARTNER;
        boolean needsSketch = kind == Kind.SKETCH || kind == Kind.FIRST;
        if (needsPartner != (partner != null) || needsSketch != (sketch != null)) {
            throw new IllegalArgumentException("a " + kind + " link has " + (partner == null ? "no " : "a ")
                    + "partner and " + (sketch == null ? "no " : "a ") + "sketch");
        }
    }

    static Link sketch(byte[] sketch) {
        return new Link(Kind.SKETCH, null, sketch);
    }

    static Link partner(String id) {
        return new Link(Kind.PARTNER, id, null);
    }

    static Link involved() {
        return new Link(Kind.INVOLVED, null, null);
    }

    static Link first(byte[] sketch) {
        return new Link(Kind.FIRST, null, sketch);
    }

    /** Kind, then the partner or the sketch. */
    public static final class Coder extends CustomCoder<Link> {
        private static final long serialVersionUID = 1L;
        private static final Coder INSTANCE = new Coder();
        private static final Kind[] KINDS = Kind.values();

        public static Coder of() {
            return INSTANCE;
        }

        public static CoderProvider getCoderProvider() {
            return CoderProviders.forCoder(TypeDescriptor.of(Link.class), INSTANCE);
        }

        @Override
        public void encode(Link link, OutputStream out) throws IOException {
            out.write(link.kind().ordinal());
            switch (link.kind()) {
                case SKETCH, FIRST -> ByteArrayCoder.of().encode(link.sketch(), out);
                case PARTNER -> StringUtf8Coder.of().encode(link.partner(), out);
                case INVOLVED -> {}
            }
        }

        @Override
        public Link decode(InputStream in) throws IOException {
            int k = in.read();
            if (k < 0 || k >= KINDS.length) {
                throw new CoderException(
                        "a dedupe link starts with its kind (0.." + (KINDS.length - 1) + "), read " + k);
            }
            return switch (KINDS[k]) {
                case SKETCH -> sketch(ByteArrayCoder.of().decode(in));
                case FIRST -> first(ByteArrayCoder.of().decode(in));
                case PARTNER -> partner(StringUtf8Coder.of().decode(in));
                case INVOLVED -> involved();
            };
        }

        @Override
        public void verifyDeterministic() {}
    }
}
