package dev.tanrenai.evaluate.suite;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.result.Metric;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What users said, read back: conversations (or the conversation up to a rated answer) that users
 * rated up or down, scored with the training mask. The question is whether the candidate makes the
 * answers users liked more likely relative to those they disliked than the champion does.
 *
 * <p>A conversation's rating is the mean of its feedback scores (conversation-level and per-message;
 * a per-message rating cuts the conversation after the rated answer, so the answers up to it are
 * scored); mean {@code > 0} is rated up, {@code < 0} down, {@code 0} is left out. The metric
 * {@link #MARGIN} is the mean over items of {@code N · nll_pt / n_down} for down-rated items and
 * {@code −N · nll_pt / n_up} for up-rated ones ({@code nll_pt} the item's NLL per token, {@code N},
 * {@code n_up}, {@code n_down} the suite's counts), which equals {@code mean nll_pt(down) − mean
 * nll_pt(up)}: how much less likely the disliked answers are than the liked ones. Higher is better.
 */
public final class FeedbackSuite implements Suite {

    static final int VERSION = 1;

    static final String MARGIN_VALUE = "margin";
    static final String UP = "up";

    public static final Metric MARGIN = new Metric(
            "preference_margin",
            "mean NLL per token of down-rated answers minus that of up-rated answers (nats): how much less"
                    + " likely the model finds what users disliked than what they liked",
            Metric.Kind.MEAN,
            MARGIN_VALUE,
            null,
            1,
            Metric.Transform.IDENTITY,
            true,
            false);

    private final SuiteInfo info;
    private final List<Conversation> conversations;
    private final Map<String, Double> ratings;
    private final Map<String, String> clusters;

    private FeedbackSuite(
            SuiteInfo info,
            List<Conversation> conversations,
            Map<String, Double> ratings,
            Map<String, String> clusters) {
        this.info = info;
        this.conversations = List.copyOf(conversations);
        this.ratings = Map.copyOf(ratings);
        this.clusters = Map.copyOf(clusters);
    }

    /**
     * The rated conversations.
     *
     * @param feedback every feedback entry to use, in store order
     * @param conversations looks up a conversation by id
     * @throws IllegalArgumentException when no conversation is rated both ways: a margin needs both
     */
    public static FeedbackSuite of(List<Feedback> feedback, Function<String, Optional<Conversation>> conversations) {
        Map<String, double[]> byItem = new TreeMap<>(); // item id -> [score sum, count]
        Map<String, Conversation> items = new TreeMap<>();
        Map<String, String> skipped = new TreeMap<>();
        Map<String, String> clusters = new TreeMap<>();
        for (Feedback f : feedback) {
            Optional<Conversation> found = conversations.apply(f.conversationId());
            if (found.isEmpty()) {
                skipped.put(f.conversationId(), "the conversation is not in the store");
                continue;
            }
            Conversation c = found.get();
            String itemId = c.id();
            if (f.messageIndex() != null) {
                int idx = f.messageIndex();
                if (idx >= c.messages().size() || c.messages().get(idx).role() != Role.ASSISTANT) {
                    skipped.put(c.id() + "#" + idx, "the rated message is not an assistant answer");
                    continue;
                }
                itemId = c.id() + "#" + idx;
                List<Message> prefix = c.messages().subList(0, idx + 1);
                c = new Conversation(itemId, c.source(), c.createdAt(), c.updatedAt(), prefix, c.metadata());
            }
            items.put(itemId, c);
            clusters.put(itemId, f.conversationId());
            byItem.computeIfAbsent(itemId, k -> new double[2])[0] += f.score();
            byItem.get(itemId)[1]++;
        }
        Map<String, Double> ratings = new TreeMap<>();
        List<Conversation> rated = new ArrayList<>();
        for (Map.Entry<String, double[]> e : byItem.entrySet()) {
            double mean = e.getValue()[0] / e.getValue()[1];
            if (mean == 0) {
                skipped.put(e.getKey(), "ratings cancel out (mean 0)");
                continue;
            }
            ratings.put(e.getKey(), mean);
            rated.add(items.get(e.getKey()));
        }
        long up = ratings.values().stream().filter(r -> r > 0).count();
        long down = ratings.size() - up;
        if (up == 0 || down == 0) {
            throw new IllegalArgumentException("the feedback suite needs answers rated both up and down; the store has "
                    + up + " rated up and " + down + " rated down");
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("feedbackEntries", feedback.size());
        source.put("ratedUp", up);
        source.put("ratedDown", down);
        source.put("skipped", skipped);
        StringBuilder settings = new StringBuilder("feedback;");
        ratings.forEach((k, v) -> settings.append(k).append('=').append(v).append(';'));
        return new FeedbackSuite(
                new SuiteInfo(
                        SuiteKind.FEEDBACK.id(),
                        SuiteKind.FEEDBACK,
                        VERSION,
                        ConversationScoring.contentSha256(rated, settings.toString()),
                        up + " answers users rated up and " + down + " rated down",
                        source),
                rated,
                ratings,
                clusters);
    }

    /** Adds each item's {@link #MARGIN} contribution (see the class comment) and its conversation as cluster. */
    static List<ItemScore> withMargins(List<ItemScore> scored, Map<String, String> clusters) {
        int n = scored.size();
        long up = scored.stream().filter(i -> i.value(UP) == 1.0).count();
        long down = n - up;
        List<ItemScore> items = new ArrayList<>();
        for (ItemScore i : scored) {
            double perToken = i.value(ConversationScoring.NLL) / i.value(ConversationScoring.TOKENS);
            boolean isUp = i.value(UP) == 1.0;
            Map<String, Double> values = new LinkedHashMap<>(i.values());
            if (up > 0 && down > 0) { // else the margin is undefined and the gate finds it missing
                values.put(MARGIN_VALUE, isUp ? -n * perToken / up : n * perToken / down);
            }
            items.add(new ItemScore(
                    i.itemId(),
                    clusters.getOrDefault(i.itemId(), i.cluster()),
                    values,
                    (isUp ? "[rated up] " : "[rated down] ") + i.text()));
        }
        return items;
    }

    /** The rated conversations (cut after the rated answer for per-message ratings), by item id. */
    public List<Conversation> conversations() {
        return conversations;
    }

    @Override
    public SuiteInfo info() {
        return info;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(MARGIN, ConversationScoring.NLL_PER_TOKEN);
    }

    @Override
    public SuiteRun score(ScoringSession session, ModelUnderTest model, SuiteRun reference) {
        ConversationScoring.Scored scored = ConversationScoring.score(
                session, model, conversations, c -> Map.of(UP, ratings.get(c.id()) > 0 ? 1.0 : 0.0));
        List<ItemScore> items = withMargins(scored.items(), clusters);
        long up = items.stream().filter(i -> i.value(UP) == 1.0).count();
        long down = items.size() - up;
        Map<String, Object> notes = new LinkedHashMap<>(scored.notes());
        notes.put("ratedUp", up);
        notes.put("ratedDown", down);
        if (up == 0 || down == 0) {
            notes.put("margin", "undefined: after rendering, no answer is rated " + (up == 0 ? "up" : "down"));
        }
        return new SuiteRun(info, model.cacheKey(), null, items, List.of(), null, null, notes, scored.tokens());
    }
}
