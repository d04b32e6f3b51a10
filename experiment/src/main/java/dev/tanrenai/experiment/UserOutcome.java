package dev.tanrenai.experiment;

import java.util.HashSet;
import java.util.Set;

/** What one user did in one arm: the unit the statistics cluster on. */
public final class UserOutcome {
    final Set<String> conversations = new HashSet<>();
    long turns;
    long ratings;
    long ups;
    long downs;
    double scoreSum;
    double ratingRateSum;
    long errors;
    long regenerations;
    long continued;
    long abandoned;
    long toolCallTurns;
    long promptTokens;
    long completionTokens;

    /** One answer in conversation {@code conversationId}. */
    public void turn(String conversationId, boolean toolCalls, boolean continuedAfter, long prompt, long completion) {
        conversations.add(conversationId);
        turns++;
        if (toolCalls) {
            toolCallTurns++;
        }
        if (continuedAfter) {
            continued++;
        } else {
            abandoned++;
        }
        promptTokens += prompt;
        completionTokens += completion;
    }

    /** A rating in [-1, 1] of one of this user's answers. */
    public void rating(double score) {
        if (!(score >= -1 && score <= 1)) {
            throw new IllegalArgumentException("a rating must be in [-1, 1], got " + score);
        }
        ratings++;
        scoreSum += score;
        ratingRateSum += (score + 1) / 2;
        if (score > 0) {
            ups++;
        } else if (score < 0) {
            downs++;
        }
    }

    public void error() {
        errors++;
    }

    public void regeneration() {
        regenerations++;
    }

    public long turns() {
        return turns;
    }

    public long ratings() {
        return ratings;
    }

    /** The user's rating rate: the mean of {@code (score + 1) / 2} over their ratings (the thumbs-up share). */
    public double ratingRate() {
        if (ratings == 0) {
            throw new IllegalStateException("a user without ratings has no rating rate");
        }
        return ratingRateSum / ratings;
    }
}
