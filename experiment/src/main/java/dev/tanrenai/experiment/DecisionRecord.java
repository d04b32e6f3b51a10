package dev.tanrenai.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One recorded evaluation of an experiment.
 *
 * @param number 1, 2, 3, ... per experiment
 * @param numbers the verdict as {@link VerdictJson#verdict} wrote it (both arms, the test)
 * @param decidedBy who evaluated: {@code pipeline serve}, {@code pipeline ab decide}
 */
public record DecisionRecord(
        String experimentId,
        int number,
        Instant at,
        Decision decision,
        String reason,
        JsonNode numbers,
        String decidedBy) {
    public DecisionRecord {
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(numbers, "numbers");
        if (number < 1) {
            throw new IllegalArgumentException("decision numbers start at 1, got " + number);
        }
    }
}
