package dev.tanrenai.evaluate.score;

import java.util.Objects;

/**
 * A token sequence and which of its tokens are scored: {@code scored[j]} asks for
 * {@code log P(tokens[j] | tokens[0..j-1])}. Position 0 (usually BOS) has no context and is never scored.
 *
 * @param id what the sequence is, for error messages
 */
public record ScoringRequest(String id, int[] tokens, boolean[] scored) {

    public ScoringRequest {
        Objects.requireNonNull(id, "id");
        tokens = tokens.clone();
        scored = scored.clone();
        if (tokens.length != scored.length) {
            throw new IllegalArgumentException(
                    id + ": " + tokens.length + " tokens but " + scored.length + " scored flags");
        }
        if (tokens.length > 0 && scored[0]) {
            throw new IllegalArgumentException(id + ": token 0 has no context and cannot be scored");
        }
    }

    /** Every token after the first is scored. */
    public static ScoringRequest all(String id, int[] tokens) {
        boolean[] scored = new boolean[tokens.length];
        for (int j = 1; j < tokens.length; j++) {
            scored[j] = true;
        }
        return new ScoringRequest(id, tokens, scored);
    }

    public int length() {
        return tokens.length;
    }

    public int scoredCount() {
        int n = 0;
        for (boolean s : scored) {
            n += s ? 1 : 0;
        }
        return n;
    }

    int token(int j) {
        return tokens[j];
    }

    boolean isScored(int j) {
        return scored[j];
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public boolean[] scored() {
        return scored.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoringRequest r
                && id.equals(r.id)
                && java.util.Arrays.equals(tokens, r.tokens)
                && java.util.Arrays.equals(scored, r.scored);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + java.util.Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "ScoringRequest[" + id + ", " + tokens.length + " tokens, " + scoredCount() + " scored]";
    }
}
