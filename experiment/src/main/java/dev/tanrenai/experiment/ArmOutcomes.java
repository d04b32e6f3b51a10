package dev.tanrenai.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One arm's outcomes per user, as read from the store, and their summary. */
public final class ArmOutcomes {
    private final Map<String, UserOutcome> users = new TreeMap<>();
    private final List<Long> latenciesMs = new ArrayList<>();

    public UserOutcome user(String key) {
        return users.computeIfAbsent(key, k -> new UserOutcome());
    }

    public void latency(long ms) {
        latenciesMs.add(ms);
    }

    public Map<String, UserOutcome> users() {
        return java.util.Collections.unmodifiableMap(users);
    }

    public ArmSummary summary() {
        PrimaryStats primary = new PrimaryStats();
        long conversations = 0;
        long turns = 0;
        long ratings = 0;
        long ups = 0;
        long downs = 0;
        double scoreSum = 0;
        long errors = 0;
        long regenerations = 0;
        long continued = 0;
        long abandoned = 0;
        long tools = 0;
        long prompt = 0;
        long completion = 0;
        long answered = 0;
        for (UserOutcome u : users.values()) { // TreeMap: a fixed order, so the sums are repeatable
            if (u.turns > 0) {
                answered++;
            }
            if (u.ratings > 0) {
                primary.add(u.ratingRate());
            }
            conversations += u.conversations.size();
            turns += u.turns;
            ratings += u.ratings;
            ups += u.ups;
            downs += u.downs;
            scoreSum += u.scoreSum;
            errors += u.errors;
            regenerations += u.regenerations;
            continued += u.continued;
            abandoned += u.abandoned;
            tools += u.toolCallTurns;
            prompt += u.promptTokens;
            completion += u.completionTokens;
        }
        List<Long> sorted = new ArrayList<>(latenciesMs);
        sorted.sort(Long::compare);
        return new ArmSummary(
                answered,
                conversations,
                turns,
                primary,
                ratings,
                ups,
                downs,
                ratings == 0 ? Double.NaN : scoreSum / ratings,
                errors,
                regenerations,
                continued,
                abandoned,
                tools,
                percentile(sorted, 0.50),
                percentile(sorted, 0.95),
                prompt,
                completion);
    }

    /** The nearest-rank percentile; 0 for no values. */
    static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
