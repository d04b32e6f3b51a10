package dev.tanrenai.evaluate.suite;

import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.score.SequenceScore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One model's results on one suite.
 *
 * @param suite the suite
 * @param modelKey {@link dev.tanrenai.evaluate.score.ModelUnderTest#cacheKey()} of the model scored
 * @param referenceKey the model the pairwise results were computed against, or null
 * @param items per-item values for the suite's metrics
 * @param pairwise per-item values for the pairwise metrics (e.g. KL to the reference); empty without a reference
 * @param perTokenKl KL to the reference at every scored token, for its distribution; null without a reference
 * @param reference this model's top-K tokens at every scored position, kept so a later candidate can
 *     be compared with it without scoring this model again; null when the suite keeps none
 * @param notes what was left out and why (e.g. conversations the template could not render), and counts
 * @param scoredTokens tokens whose likelihood was computed (0 for generation suites)
 */
public record SuiteRun(
        SuiteInfo suite,
        String modelKey,
        String referenceKey,
        List<ItemScore> items,
        List<ItemScore> pairwise,
        float[] perTokenKl,
        List<SequenceScore> reference,
        Map<String, Object> notes,
        long scoredTokens) {

    public SuiteRun {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(modelKey, "modelKey");
        items = List.copyOf(items);
        pairwise = List.copyOf(pairwise);
        reference = reference == null ? null : List.copyOf(reference);
        notes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(notes));
        if ((referenceKey == null) != pairwise.isEmpty() && !items.isEmpty()) {
            throw new IllegalArgumentException(
                    "suite " + suite.id() + ": pairwise results need the reference they were computed against");
        }
    }
}
