package dev.tanrenai.experiment;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.store.ConversationStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sample conversations of both arms for the same kind of prompt: conversations are grouped by their
 * first user message (lower-cased, spaces collapsed, digits dropped) and groups answered by both arms
 * come first.
 */
public final class Samples {
    private Samples() {}

    /** A prompt kind and one conversation of each arm that answered it (an arm may be missing). */
    public record Pair(String prompt, Map<ExperimentArm, Conversation> byArm) {}

    public static List<Pair> pairs(ConversationStore store, Experiment e, int max) {
        Map<String, Map<ExperimentArm, Conversation>> groups = new LinkedHashMap<>();
        long upTo = store.stats().lastSequence();
        for (Iterator<Conversation> it = store.iterate(e.startSeq(), upTo, 500); it.hasNext(); ) {
            Conversation c = it.next();
            ExperimentArm arm = firstArm(c, e);
            String prompt = firstPrompt(c);
            if (arm == null || prompt == null) {
                continue;
            }
            groups.computeIfAbsent(kind(prompt), k -> new EnumMap<>(ExperimentArm.class))
                    .putIfAbsent(arm, c);
        }
        List<Pair> both = new ArrayList<>();
        List<Pair> one = new ArrayList<>();
        groups.forEach((k, m) -> (m.size() == 2 ? both : one)
                .add(new Pair(firstPrompt(m.values().iterator().next()), m)));
        both.addAll(one);
        return both.subList(0, Math.min(max, both.size()));
    }

    private static ExperimentArm firstArm(Conversation c, Experiment e) {
        for (int i = 0; i < c.messages().size(); i++) {
            ExperimentArm arm = OutcomeReader.armOf(c, i, e);
            if (arm != null) {
                return arm;
            }
        }
        return null;
    }

    private static String firstPrompt(Conversation c) {
        for (Message m : c.messages()) {
            if (m.role() == Role.USER) {
                return m.content();
            }
        }
        return null;
    }

    static String kind(String prompt) {
        return prompt.toLowerCase(Locale.ROOT)
                .replaceAll("[0-9]+", "")
                .replaceAll("\\s+", " ")
                .strip();
    }
}
