package dev.tanrenai.experiment;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.StoredFeedback;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an experiment's per-arm outcomes back from what serve logged: every answer's {@code turn.N.*}
 * metadata (arm, model, time, latency, tokens, finish reason, user), the feedback recorded since the
 * experiment started, forks of a conversation that asked the same prefix again (regenerations), and the
 * failures counted in the experiment store. Answers count for an arm when they were served by that arm's
 * model of this experiment after it started; users are {@code turn.N.user} or, without one, the
 * conversation (the key the sticky router used).
 */
public final class OutcomeReader {
    /** A fork's id: the original id, a dash and 12 hex digits (serve's ConversationLog). */
    private static final Pattern FORK = Pattern.compile("(.+)-([0-9a-f]{12})");

    private static final int PAGE = 500;

    private OutcomeReader() {}

    /** Per-arm outcomes of {@code e} up to now. */
    public static Map<ExperimentArm, ArmOutcomes> read(
            ConversationStore store, ExperimentStore experiments, Experiment e) {
        long upTo = store.stats().lastSequence();
        Map<String, Conversation> conversations = new HashMap<>();
        for (Iterator<Conversation> it = store.iterate(e.startSeq(), upTo, PAGE); it.hasNext(); ) {
            Conversation c = it.next();
            conversations.put(c.id(), c);
        }
        Map<ExperimentArm, ArmOutcomes> out = new EnumMap<>(ExperimentArm.class);
        for (ExperimentArm arm : ExperimentArm.values()) {
            out.put(arm, new ArmOutcomes());
        }
        for (Conversation c : conversations.values()) {
            for (int i = 0; i < c.messages().size(); i++) {
                ExperimentArm arm = armOf(c, i, e);
                if (arm == null) {
                    continue;
                }
                Map<String, String> m = c.metadata();
                String p = "turn." + i + ".";
                ArmOutcomes arm0 = out.get(arm);
                arm0.user(userOf(c, i))
                        .turn(
                                c.id(),
                                !c.messages().get(i).toolCalls().isEmpty(),
                                userWroteAfter(c.messages(), i),
                                number(m, p + "prompt_tokens", c),
                                number(m, p + "completion_tokens", c));
                if (m.containsKey(p + "latency_ms")) {
                    arm0.latency(number(m, p + "latency_ms", c));
                }
            }
            regeneration(c, conversations, e, out);
        }
        feedback(store, e, upTo, conversations, out);
        for (Map.Entry<ExperimentArm, Map<String, Long>> errors :
                experiments.errors(e.id()).entrySet()) {
            for (Map.Entry<String, Long> user : errors.getValue().entrySet()) {
                UserOutcome u = out.get(errors.getKey()).user(user.getKey());
                for (long k = 0; k < user.getValue(); k++) {
                    u.error();
                }
            }
        }
        return out;
    }

    /** The arm of message {@code i} when it is an answer of experiment {@code e}; else null. */
    static ExperimentArm armOf(Conversation c, int i, Experiment e) {
        Message msg = c.messages().get(i);
        if (msg.role() != Role.ASSISTANT) {
            return null;
        }
        Map<String, String> m = c.metadata();
        ExperimentArm arm = ExperimentArm.fromWireName(m.get("turn." + i + ".arm"));
        if (arm == null || !e.modelOf(arm).equals(m.get("turn." + i + ".model"))) {
            return null;
        }
        String at = m.get("turn." + i + ".at");
        Instant when;
        try {
            when = at == null ? c.createdAt() : Instant.parse(at);
        } catch (DateTimeParseException ex) {
            throw new ExperimentException(
                    "conversation " + c.id() + ": turn." + i + ".at is not an ISO-8601 instant: '" + at + "'", ex);
        }
        return when.isBefore(e.startedAt()) ? null : arm;
    }

    /** The sticky router's key for the user of answer {@code i}: the user, else the (unforked) conversation. */
    static String userOf(Conversation c, int i) {
        String user = c.metadata().get("turn." + i + ".user");
        if (user != null && !user.isEmpty()) {
            return "user:" + user;
        }
        Matcher fork = FORK.matcher(c.id());
        return "conversation:" + (fork.matches() ? fork.group(1) : c.id());
    }

    private static boolean userWroteAfter(List<Message> messages, int i) {
        for (int k = i + 1; k < messages.size(); k++) {
            if (messages.get(k).role() == Role.USER) {
                return true;
            }
        }
        return false;
    }

    /**
     * A fork whose first differing message replaces an answer of the original: the client asked the
     * same prefix again; it counts against the arm whose answer was replaced.
     */
    private static void regeneration(
            Conversation fork, Map<String, Conversation> all, Experiment e, Map<ExperimentArm, ArmOutcomes> out) {
        Matcher m = FORK.matcher(fork.id());
        if (!m.matches() || !all.containsKey(m.group(1))) {
            return;
        }
        Conversation original = all.get(m.group(1));
        List<Message> a = original.messages();
        List<Message> b = fork.messages();
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        if (i < a.size() && i < b.size() && b.get(i).role() == Role.ASSISTANT) {
            ExperimentArm arm = armOf(original, i, e);
            if (arm != null) {
                out.get(arm).user(userOf(original, i)).regeneration();
            }
        }
    }

    private static void feedback(
            ConversationStore store,
            Experiment e,
            long upTo,
            Map<String, Conversation> conversations,
            Map<ExperimentArm, ArmOutcomes> out) {
        long watermark = e.startSeq();
        while (true) {
            List<StoredFeedback> page = store.feedbackSince(watermark, PAGE);
            if (page.isEmpty()) {
                return;
            }
            for (StoredFeedback f : page) {
                watermark = Math.max(watermark, f.seq());
                if (f.seq() > upTo) {
                    continue;
                }
                Conversation c = conversations.get(f.feedback().conversationId());
                if (c == null) {
                    continue; // feedback on a conversation with no change since the start: not this experiment's
                }
                int index = f.feedback().messageIndex() == null
                        ? lastAnswer(c)
                        : f.feedback().messageIndex();
                if (index < 0 || index >= c.messages().size()) {
                    continue;
                }
                ExperimentArm arm = armOf(c, index, e);
                if (arm != null) {
                    out.get(arm).user(userOf(c, index)).rating(f.feedback().score());
                }
            }
        }
    }

    private static int lastAnswer(Conversation c) {
        for (int i = c.messages().size() - 1; i >= 0; i--) {
            if (c.messages().get(i).role() == Role.ASSISTANT) {
                return i;
            }
        }
        return -1;
    }

    private static long number(Map<String, String> m, String key, Conversation c) {
        String v = m.get(key);
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException ex) {
            throw new ExperimentException(
                    "conversation " + c.id() + ": " + key + " is not a whole number: '" + v + "'");
        }
    }
}
