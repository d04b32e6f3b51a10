package dev.tanrenai.train.run;

import java.util.List;
import java.util.Map;

/**
 * What became of the run's data, so nothing is left out silently.
 *
 * @param conversations conversations in the dataset
 * @param withoutAssistantTurn conversations with nothing to learn (no assistant turn)
 * @param unrenderable conversations the chat template could not render, with the reason, by id
 * @param truncated examples cut to the maximum length
 * @param droppedAfterTruncation examples with no assistant token left after truncation
 * @param replayBufferSize conversations in the replay buffer
 * @param replayExamples replay examples mixed in (with repeats when the buffer is small)
 * @param replayPasses times the buffer was gone through (> 1: repeats)
 * @param sequences packed sequences
 * @param tokens tokens in them
 * @param trainedTokens tokens the loss counts
 * @param trainedReplayTokens of those, replay tokens
 */
public record DataReport(
        int conversations,
        int withoutAssistantTurn,
        Map<String, String> unrenderable,
        int truncated,
        List<String> droppedAfterTruncation,
        int replayBufferSize,
        int replayExamples,
        int replayPasses,
        int sequences,
        long tokens,
        long trainedTokens,
        long trainedReplayTokens) {

    public DataReport {
        unrenderable = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(unrenderable));
        droppedAfterTruncation = List.copyOf(droppedAfterTruncation);
    }

    /** The replay share of trained tokens. */
    public double replayShare() {
        return trainedTokens == 0 ? 0 : (double) trainedReplayTokens / trainedTokens;
    }
}
