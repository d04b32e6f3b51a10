package dev.tanrenai.beam;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * A compact binary coder for {@link Conversation}: length-prefixed UTF-8 strings, times as epoch
 * microseconds, roles by ordinal, metadata in key order. Deterministic (equal conversations encode
 * to equal bytes), so a conversation can be a key and its bytes a tie-breaker. Registered for the
 * class by {@link TanrenaiCoders}, so a {@code PCollection<Conversation>} needs no {@code setCoder}.
 */
public final class ConversationCoder extends CustomCoder<Conversation> {
    private static final long serialVersionUID = 1L;
    private static final ConversationCoder INSTANCE = new ConversationCoder();
    private static final Role[] ROLES = Role.values();

    private ConversationCoder() {}

    public static ConversationCoder of() {
        return INSTANCE;
    }

    @Override
    public void encode(Conversation c, OutputStream out) throws IOException {
        if (c == null) {
            throw new CoderException("cannot encode a null Conversation");
        }
        string(out, c.id());
        string(out, c.source());
        VarInt.encode(micros(c.createdAt()), out);
        VarInt.encode(micros(c.updatedAt()), out);
        VarInt.encode(c.metadata().size(), out);
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            string(out, e.getKey());
            nullable(out, e.getValue());
        }
        VarInt.encode(c.messages().size(), out);
        for (Message m : c.messages()) {
            out.write(m.role().ordinal());
            string(out, m.content());
            VarInt.encode(m.toolCalls().size(), out);
            for (ToolCall call : m.toolCalls()) {
                string(out, call.id());
                string(out, call.name());
                string(out, call.argumentsJson());
            }
            nullable(out, m.toolCallId());
            nullable(out, m.name());
            nullable(out, m.producedBy());
        }
    }

    @Override
    public Conversation decode(InputStream in) throws IOException {
        String id = string(in);
        String source = string(in);
        Instant created = instant(VarInt.decodeLong(in));
        Instant updated = instant(VarInt.decodeLong(in));
        int entries = VarInt.decodeInt(in);
        Map<String, String> metadata = new TreeMap<>();
        for (int i = 0; i < entries; i++) {
            metadata.put(string(in), nullable(in));
        }
        int count = VarInt.decodeInt(in);
        List<Message> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int role = in.read();
            if (role < 0 || role >= ROLES.length) {
                throw new CoderException("conversation " + id + ": message " + i + " has role byte " + role);
            }
            String content = string(in);
            int calls = VarInt.decodeInt(in);
            List<ToolCall> toolCalls = new ArrayList<>(calls);
            for (int k = 0; k < calls; k++) {
                toolCalls.add(new ToolCall(string(in), string(in), string(in)));
            }
            messages.add(new Message(ROLES[role], content, toolCalls, nullable(in), nullable(in), nullable(in)));
        }
        return new Conversation(id, source, created, updated, messages, metadata);
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
        return true;
    }

    private static long micros(Instant t) {
        // zig-zag so times before 1970 stay short and decode exactly
        long m = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
        return (m << 1) ^ (m >> 63);
    }

    private static Instant instant(long zigzag) {
        long m = (zigzag >>> 1) ^ -(zigzag & 1);
        return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000L);
    }

    static void string(OutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        VarInt.encode(bytes.length, out);
        out.write(bytes);
    }

    static String string(InputStream in) throws IOException {
        int n = VarInt.decodeInt(in);
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new CoderException("a string of " + n + " bytes ends after " + bytes.length);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void nullable(OutputStream out, String s) throws IOException {
        out.write(s == null ? 0 : 1);
        if (s != null) {
            string(out, s);
        }
    }

    static String nullable(InputStream in) throws IOException {
        int flag = in.read();
        return switch (flag) {
            case 0 -> null;
            case 1 -> string(in);
            default -> throw new CoderException("expected a null flag (0/1), read " + flag);
        };
    }
}
