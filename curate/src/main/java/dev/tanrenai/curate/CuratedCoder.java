package dev.tanrenai.curate;

import dev.tanrenai.beam.ConversationCoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/** The binary coder of {@link Curated}: the conversation ({@link ConversationCoder}) and its annotations. */
public final class CuratedCoder extends CustomCoder<Curated> {
    private static final long serialVersionUID = 1L;
    private static final CuratedCoder INSTANCE = new CuratedCoder();

    private CuratedCoder() {}

    public static CuratedCoder of() {
        return INSTANCE;
    }

    /** How {@code @DefaultCoder} on {@link Curated} finds this coder. */
    public static org.apache.beam.sdk.coders.CoderProvider getCoderProvider() {
        return org.apache.beam.sdk.coders.CoderProviders.forCoder(
                org.apache.beam.sdk.values.TypeDescriptor.of(Curated.class), INSTANCE);
    }

    @Override
    public void encode(Curated c, OutputStream out) throws IOException {
        if (c == null) {
            throw new CoderException("cannot encode a null Curated");
        }
        ConversationCoder.of().encode(c.conversation(), out);
        VarInt.encode(c.exactCopies(), out);
        VarInt.encode(c.clusterSize(), out);
        new DataOutputStream(out).writeDouble(c.score());
        StringUtf8Coder.of().encode(c.features(), out);
        StringUtf8Coder.of().encode(c.split(), out);
    }

    @Override
    public Curated decode(InputStream in) throws IOException {
        return new Curated(
                ConversationCoder.of().decode(in),
                VarInt.decodeInt(in),
                VarInt.decodeLong(in),
                new DataInputStream(in).readDouble(),
                StringUtf8Coder.of().decode(in),
                StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
}
