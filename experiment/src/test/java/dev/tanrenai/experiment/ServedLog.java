package dev.tanrenai.experiment;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.store.ConversationStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes conversations into the store with the per-turn metadata serve's ChatService and ConversationLog
 * write ({@code turn.N.arm}, {@code .model}, {@code .at}, {@code .latency_ms}, {@code .prompt_tokens},
 * {@code .completion_tokens}, {@code .user}), so the reader is tested against the store's real format.
 */
final class ServedLog {
    private final ConversationStore store;

    ServedLog(ConversationStore store) {
        this.store = store;
    }

    /** One answer turn's metadata. */
    record Turn(ExperimentArm arm, String model, Instant at, long latencyMs, String user) {}

    /** Stores {@code messages}; {@code turns} gives the metadata of the assistant messages, by index. */
    void store(String id, List<Message> messages, Map<Integer, Turn> turns) {
        Map<String, String> m = new TreeMap<>();
        turns.forEach((i, t) -> {
            m.put("turn." + i + ".arm", t.arm().wireName());
            m.put("turn." + i + ".model", t.model());
            m.put("turn." + i + ".at", t.at().toString());
            m.put("turn." + i + ".latency_ms", Long.toString(t.latencyMs()));
            m.put("turn." + i + ".prompt_tokens", "10");
            m.put("turn." + i + ".completion_tokens", "5");
            if (t.user() != null) {
                m.put("turn." + i + ".user", t.user());
            }
        });
        Instant at =
                turns.values().stream().map(Turn::at).max(Instant::compareTo).orElseThrow();
        store.append(new Conversation(id, "serve", at, at, messages, m));
    }

    void rate(String id, Integer index, double score, Instant at) {
        store.recordFeedback(new Feedback(id, index, score, null, at));
    }
}
