package dev.tanrenai.train.data;

import java.util.List;
import java.util.Objects;

/**
 * Several training examples packed into one sequence of at most the maximum length. Each example
 * is a segment: it attends only to itself and its positions restart at 0, so packing changes how
 * many tokens one forward pass holds, never what an example sees.
 *
 * @param tokens the examples' tokens, one after another
 * @param lossMask {@code lossMask[i]}: predicting {@code tokens[i]} counts (never the first token of a segment)
 * @param replay {@code replay[i]}: token {@code i} belongs to a replay example
 * @param segments {@code segments[i]}: the index of the example token {@code i} belongs to (0, 1, ...)
 * @param conversationIds the packed examples' conversations, by segment
 */
public record PackedSequence(
        int[] tokens, boolean[] lossMask, boolean[] replay, int[] segments, List<String> conversationIds) {

    public PackedSequence {
        Objects.requireNonNull(tokens, "tokens");
        conversationIds = List.copyOf(conversationIds);
        int n = tokens.length;
        if (n < 2 || lossMask.length != n || replay.length != n || segments.length != n) {
            throw new IllegalArgumentException("a packed sequence needs >= 2 tokens and one mask, replay flag and"
                    + " segment id per token, got " + n + "/" + lossMask.length + "/" + replay.length + "/"
                    + segments.length);
        }
        for (int i = 0; i < n; i++) {
            boolean segmentStart = i == 0 || segments[i] != segments[i - 1];
            if (segmentStart && lossMask[i]) {
                throw new IllegalArgumentException(
                        "token " + i + " starts segment " + segments[i] + " and so cannot be a prediction target");
            }
            if (i > 0 && segments[i] != segments[i - 1] && segments[i] != segments[i - 1] + 1) {
                throw new IllegalArgumentException("segment ids must count up by one, token " + i + " has "
                        + segments[i] + " after " + segments[i - 1]);
            }
        }
        if (segments[0] != 0 || segments[n - 1] + 1 != conversationIds.size()) {
            throw new IllegalArgumentException(
                    (segments[n - 1] + 1) + " segments but " + conversationIds.size() + " conversation ids");
        }
        tokens = tokens.clone();
        lossMask = lossMask.clone();
        replay = replay.clone();
        segments = segments.clone();
    }

    public int length() {
        return tokens.length;
    }

    /** How many predictions the loss counts. */
    public int trainedTokens() {
        return count(false);
    }

    /** How many of the counted predictions are replay tokens. */
    public int trainedReplayTokens() {
        return count(true);
    }

    private int count(boolean replayOnly) {
        int c = 0;
        for (int i = 0; i < lossMask.length; i++) {
            if (lossMask[i] && (!replayOnly || replay[i])) {
                c++;
            }
        }
        return c;
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public boolean[] lossMask() {
        return lossMask.clone();
    }

    @Override
    public boolean[] replay() {
        return replay.clone();
    }

    @Override
    public int[] segments() {
        return segments.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackedSequence p
                && java.util.Arrays.equals(tokens, p.tokens)
                && java.util.Arrays.equals(lossMask, p.lossMask)
                && java.util.Arrays.equals(replay, p.replay)
                && java.util.Arrays.equals(segments, p.segments)
                && conversationIds.equals(p.conversationIds);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(tokens) * 31 + conversationIds.hashCode();
    }

    @Override
    public String toString() {
        return "PackedSequence[" + tokens.length + " tokens, " + conversationIds.size() + " examples, "
                + trainedTokens() + " trained]";
    }
}
