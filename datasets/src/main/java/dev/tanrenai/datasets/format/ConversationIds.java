package dev.tanrenai.datasets.format;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.ToolCall;
import dev.tanrenai.datasets.provenance.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** Deterministic ids for conversations that arrive without one. */
public final class ConversationIds {
    private ConversationIds() {}

    /**
     * {@code c-} plus 24 hex digits of the SHA-256 of the messages' roles, contents, names and tool
     * calls (not the source or times), so importing the same conversation twice gives the same id.
     */
    public static String contentId(List<Message> messages) {
        MessageDigest sha = Sha256.newDigest();
        for (Message m : messages) {
            field(sha, m.role().wireName());
            field(sha, m.content());
            field(sha, m.name());
            field(sha, m.toolCallId());
            for (ToolCall call : m.toolCalls()) {
                field(sha, call.id());
                field(sha, call.name());
                field(sha, call.argumentsJson());
            }
            sha.update((byte) 0x1e); // end of message
        }
        return "c-" + HexFormat.of().formatHex(sha.digest()).substring(0, 24);
    }

    private static void field(MessageDigest sha, String value) {
        if (value == null) {
            sha.update((byte) 0x00);
        } else {
            sha.update((byte) 0x01);
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            sha.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha.update(bytes);
        }
    }
}
