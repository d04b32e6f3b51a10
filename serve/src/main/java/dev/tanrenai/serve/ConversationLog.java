package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.format.OpenAiChatCodec;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.datasets.store.ConversationConflictException;
import dev.tanrenai.datasets.store.ConversationStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes every served turn to the conversation store, so tonight's training sees it. OpenAI clients
 * resend the whole history each turn; each conversation is stored once and only the new turns are
 * appended. Its id comes from the client ({@code X-Conversation-Id}) or is a fingerprint of the
 * user and the conversation's opening (system and first user message); when a client edits earlier
 * turns, the edited history continues as a fork whose id also covers the history up to the edit.
 */
public final class ConversationLog {

    public static final String SOURCE = "serve";
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ConversationStore store;

    public ConversationLog(ConversationStore store) {
        this.store = store;
    }

    /** The id a request's conversation is stored under before any fork (for routing and logging). */
    public static String conversationId(String clientId, String user, List<Message> messages) {
        if (clientId != null) {
            if (!CLIENT_ID.matcher(clientId).matches()) {
                throw OpenAiException.badRequest(
                        "X-Conversation-Id", "X-Conversation-Id must be 1-128 characters of A-Z a-z 0-9 . _ : -");
            }
            return clientId;
        }
        List<Message> opening = new ArrayList<>();
        for (Message m : messages) {
            opening.add(m);
            if (m.role() == Role.USER) {
                break;
            }
        }
        return "chat-" + fingerprint((user == null ? "" : user) + "\n" + json(opening));
    }

    /**
     * Stores {@code history + reply} with per-turn metadata ({@code turn.N.*} for the reply's index N).
     *
     * @return where it was stored: the conversation id (a fork's when the history was edited) and the reply's index
     */
    public Logged log(String conversationId, List<Message> history, Message reply, Map<String, String> turn) {
        return log(conversationId, SOURCE, history, reply, turn);
    }

    /** As {@link #log(String, List, Message, Map)} with another source (shadow answers). */
    public Logged log(
            String conversationId, String source, List<Message> history, Message reply, Map<String, String> turn) {
        List<Message> messages = withStoredAuthors(conversationId, history);
        messages.add(reply);
        int index = messages.size() - 1;
        Map<String, String> metadata = new TreeMap<>();
        turn.forEach((k, v) -> metadata.put("turn." + index + "." + k, v));
        metadata.put("last_arm", turn.getOrDefault("arm", ""));
        metadata.put("last_model", turn.getOrDefault("model", ""));
        String id = conversationId;
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant now = Instant.now();
            try {
                store.append(new Conversation(id, source, now, now, messages, metadata));
                return new Logged(id, index);
            } catch (ConversationConflictException e) {
                id = forkId(conversationId, messages, store.get(id));
            }
        }
        throw new IllegalStateException("could not store conversation " + conversationId + " after forking");
    }

    /**
     * Clients resend earlier assistant turns without knowing which model wrote them: take those turns
     * as stored (with their {@code producedBy}) where they are otherwise the same.
     */
    private List<Message> withStoredAuthors(String id, List<Message> history) {
        List<Message> out = new ArrayList<>(history);
        List<Message> stored = store.get(id).map(Conversation::messages).orElse(List.of());
        for (int i = 0; i < Math.min(stored.size(), out.size()); i++) {
            Message s = stored.get(i);
            Message h = out.get(i);
            if (s.producedBy() != null
                    && h.producedBy() == null
                    && s.withProducedBy(null).equals(h)) {
                out.set(i, s);
            }
        }
        return out;
    }

    private static String forkId(String base, List<Message> messages, Optional<Conversation> stored) {
        List<Message> storedMessages = stored.map(Conversation::messages).orElse(List.of());
        int diverge = 0;
        while (diverge < storedMessages.size()
                && diverge < messages.size()
                && storedMessages.get(diverge).equals(messages.get(diverge))) {
            diverge++;
        }
        return base + "-"
                + fingerprint(json(messages.subList(0, Math.min(messages.size(), diverge + 1))))
                        .substring(0, 12);
    }

    private static String json(List<Message> messages) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        Conversation c = new Conversation("x", SOURCE, Instant.EPOCH, Instant.EPOCH, messages, Map.of());
        array.addAll((ArrayNode) OpenAiChatCodec.write(c).get("messages"));
        return array.toString();
    }

    private static String fingerprint(String text) {
        return Sha256.ofBytes(text.getBytes(StandardCharsets.UTF_8)).substring(0, 20);
    }

    /** Where a served turn was stored. */
    public record Logged(String conversationId, int messageIndex) {}
}
