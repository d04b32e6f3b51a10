package dev.tanrenai.curate;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The heuristic "good training example" score in [0, 1], used until enough feedback labels exist
 * to train a model: a weighted sum of features, each in [-1, 1], squashed by a logistic. Features:
 * assistant length (too short or extremely long answers lose), answer/question length ratio,
 * refusal and apology phrases, repetition (repeated lines and words), odd character classes
 * (control characters, replacement characters, symbol noise), users' feedback (the mean of the
 * store's feedback on the conversation, {@link #withFeedback}; else its {@code feedback.score}
 * metadata), and the size of its near-duplicate cluster.
 */
public final class QualityScorer implements ConversationScorer {
    private static final long serialVersionUID = 1L;

    private static final Pattern REFUSAL = Pattern.compile(
            "(?i)\\b(i('| a)m sorry|i apologi[sz]e|as an ai|i can(no|')t (help|assist|do)|i('| a)m unable to|"
                    + "i do not have access|i don't have access)\\b");

    private static final Map<String, Double> WEIGHTS = Map.of(
            "assistant_length", 1.0,
            "answer_ratio", 0.5,
            "refusal", 2.5,
            "repetition", 1.5,
            "character_noise", 1.0,
            "feedback", 2.5,
            "duplicate_cluster", 0.5);

    /** The metadata key an imported conversation may carry its feedback score in, in [-1, 1]. */
    public static final String FEEDBACK_METADATA = "feedback.score";

    /** Mean store feedback by conversation id (a HashMap: serialisable for the workers). */
    private final java.util.HashMap<String, Double> feedback;

    /** The heuristic without store feedback (metadata {@code feedback.score} still counts). */
    public QualityScorer() {
        this(Map.of());
    }

    /** The heuristic with {@code meanFeedbackById} as the {@code feedback} feature. */
    public QualityScorer(Map<String, Double> meanFeedbackById) {
        this.feedback = new java.util.HashMap<>(meanFeedbackById);
    }

    @Override
    public QualityScorer withFeedback(Map<String, Double> meanFeedbackById) {
        return new QualityScorer(meanFeedbackById);
    }

    /** A score and the features that moved it most (name = signed contribution). */
    public record Score(double value, Map<String, Double> topFeatures) implements Serializable {}

    @Override
    public String describe() {
        return "heuristic";
    }

    @Override
    public Score score(Conversation c, long clusterSize) {
        Map<String, Double> f = features(c, clusterSize);
        double z = 0.5;
        List<Map.Entry<String, Double>> contributions = new ArrayList<>();
        for (Map.Entry<String, Double> e : f.entrySet()) {
            double contribution = WEIGHTS.get(e.getKey()) * e.getValue();
            z += contribution;
            contributions.add(Map.entry(e.getKey(), contribution));
        }
        return new Score(1 / (1 + Math.exp(-z)), top(contributions));
    }

    /** The three largest contributions by magnitude (then by name), rounded to 3 decimals. */
    static Map<String, Double> top(List<Map.Entry<String, Double>> contributions) {
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(contributions);
        sorted.sort(Comparator.comparingDouble((Map.Entry<String, Double> e) -> -Math.abs(e.getValue()))
                .thenComparing(Map.Entry::getKey));
        Map<String, Double> top = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : sorted.subList(0, Math.min(3, sorted.size()))) {
            top.put(e.getKey(), Math.round(e.getValue() * 1000) / 1000.0);
        }
        return top;
    }

    /** Each feature in [-1, 1]: positive is good. */
    public Map<String, Double> features(Conversation c, long clusterSize) {
        StringBuilder answers = new StringBuilder();
        long questionChars = 0;
        for (Message m : c.messages()) {
            if (m.role() == Role.ASSISTANT) {
                answers.append(m.content()).append('\n');
            } else if (m.role() == Role.USER) {
                questionChars += m.content().length();
            }
        }
        String a = answers.toString();
        Map<String, Double> f = new LinkedHashMap<>();
        int len = a.strip().length();
        f.put("assistant_length", len < 2 ? -1.0 : len < 20 ? -0.3 : len > 20_000 ? -0.5 : Math.min(1, len / 200.0));
        double ratio = (len + 1.0) / (questionChars + 1.0);
        f.put("answer_ratio", ratio < 0.1 ? -0.5 : Math.min(1, Math.log10(1 + ratio)));
        f.put("refusal", REFUSAL.matcher(a).find() ? -1.0 : 0.0);
        f.put("repetition", -repetition(a));
        f.put("character_noise", -noise(a));
        f.put("feedback", feedback(c));
        f.put("duplicate_cluster", clusterSize <= 1 ? 0.0 : -Math.min(1, Math.log10(clusterSize) / 2));
        return f;
    }

    /** The store's mean feedback on {@code c}, else its {@code feedback.score} metadata, else 0; clamped to [-1, 1]. */
    private double feedback(Conversation c) {
        Double stored = feedback.get(c.id());
        if (stored != null) {
            return Math.max(-1, Math.min(1, stored));
        }
        String metadata = c.metadata().get(FEEDBACK_METADATA);
        if (metadata == null) {
            return 0;
        }
        try {
            return Math.max(-1, Math.min(1, Double.parseDouble(metadata)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("conversation " + c.id() + ": metadata " + FEEDBACK_METADATA + " '"
                    + metadata + "' is not a number in [-1, 1]");
        }
    }

    /** Share of repeated lines and of words beyond the vocabulary, in [0, 1]. */
    static double repetition(String text) {
        String[] words = text.toLowerCase(Locale.ROOT).split("\\W+");
        if (words.length < 8) {
            return 0;
        }
        long distinct = java.util.Arrays.stream(words)
                .filter(w -> !w.isEmpty())
                .distinct()
                .count();
        double wordRepeat = 1 - distinct / (double) words.length;
        String[] lines = text.split("\n");
        long distinctLines = java.util.Arrays.stream(lines)
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .distinct()
                .count();
        long nonEmpty = java.util.Arrays.stream(lines)
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .count();
        double lineRepeat = nonEmpty == 0 ? 0 : 1 - distinctLines / (double) nonEmpty;
        return Math.max(0, Math.min(1, Math.max(lineRepeat, (wordRepeat - 0.5) * 2)));
    }

    /** Share of control, replacement and unusual symbol characters, scaled to [0, 1]. */
    static double noise(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        long odd = text.codePoints()
                .filter(cp -> cp == 0xFFFD
                        || (Character.isISOControl(cp) && cp != '\n' && cp != '\t')
                        || Character.getType(cp) == Character.OTHER_SYMBOL
                        || Character.getType(cp) == Character.UNASSIGNED)
                .count();
        return Math.min(1, odd * 10.0 / text.length());
    }
}
