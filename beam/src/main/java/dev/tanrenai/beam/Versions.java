package dev.tanrenai.beam;

import dev.tanrenai.datasets.Conversation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.beam.sdk.transforms.SerializableComparator;

/**
 * Which of two versions of one conversation is the later: the one last updated, then the one with
 * more messages, then the greater encoding ({@link ConversationCoder}) — a total order, so the
 * choice never depends on the order a runner delivers them.
 */
public final class Versions {
    private Versions() {}

    /** Orders versions of one conversation, the latest greatest. */
    public static final SerializableComparator<Conversation> LATER = Versions::compare;

    public static int compare(Conversation x, Conversation y) {
        int byTime = x.updatedAt().compareTo(y.updatedAt());
        if (byTime != 0) {
            return byTime;
        }
        int bySize = Integer.compare(x.messages().size(), y.messages().size());
        if (bySize != 0) {
            return bySize;
        }
        return Arrays.compareUnsigned(bytes(x), bytes(y));
    }

    private static byte[] bytes(Conversation c) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ConversationCoder.of().encode(c, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode conversation " + c.id(), e);
        }
    }
}
