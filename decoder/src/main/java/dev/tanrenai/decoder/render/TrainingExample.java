package dev.tanrenai.decoder.render;

import java.util.Arrays;
import java.util.Objects;

/**
 * One conversation as the model sees it in training: its tokens (BOS first) and which of them the
 * loss counts (the assistant's).
 *
 * @param conversationId where it came from
 * @param tokens the rendered and tokenized conversation
 * @param lossMask {@code lossMask[i]} is true when predicting {@code tokens[i]} counts
 */
public record TrainingExample(String conversationId, int[] tokens, boolean[] lossMask) {
    public TrainingExample {
        Objects.requireNonNull(conversationId, "conversationId");
        tokens = tokens.clone();
        lossMask = lossMask.clone();
        if (tokens.length != lossMask.length) {
            throw new IllegalArgumentException(
                    conversationId + ": " + tokens.length + " tokens but " + lossMask.length + " mask entries");
        }
    }

    /** How many tokens the loss counts. */
    public int trainedTokens() {
        int n = 0;
        for (boolean b : lossMask) {
            n += b ? 1 : 0;
        }
        return n;
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
    public boolean equals(Object o) {
        return o instanceof TrainingExample t
                && conversationId.equals(t.conversationId)
                && Arrays.equals(tokens, t.tokens)
                && Arrays.equals(lossMask, t.lossMask);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * conversationId.hashCode() + Arrays.hashCode(tokens)) + Arrays.hashCode(lossMask);
    }

    @Override
    public String toString() {
        return "TrainingExample[" + conversationId + ", " + tokens.length + " tokens, " + trainedTokens() + " trained]";
    }
}
