package dev.tanrenai.evaluate.suite;

import dev.tanrenai.evaluate.result.Metric;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSession;
import java.io.IOException;
import java.util.List;

/** A named, versioned, content-hashed set of items scored the same way for every model. */
public interface Suite {

    SuiteInfo info();

    /** The metrics of one model's items, e.g. NLL per token and bits per byte. */
    List<Metric> metrics();

    /** Metrics of the pairwise items (e.g. KL to the baseline); empty when the suite has none. */
    default List<Metric> pairwiseMetrics() {
        return List.of();
    }

    /** Whether the baseline's run keeps its top-K tokens so candidates can be compared with it. */
    default boolean keepsReference() {
        return false;
    }

    /**
     * Scores {@code model}.
     *
     * @param reference the baseline's run of this suite (with its top-K kept) when {@link #keepsReference()};
     *     null when scoring the baseline itself
     */
    SuiteRun score(ScoringSession session, ModelUnderTest model, SuiteRun reference) throws IOException;
}
