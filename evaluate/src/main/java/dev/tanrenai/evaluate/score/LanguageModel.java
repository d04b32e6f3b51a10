package dev.tanrenai.evaluate.score;

import java.util.List;
import java.util.Objects;

/**
 * What a task suite asks of a model, with lm-evaluation-harness's request semantics. Likelihoods come
 * from the DJL decoder (java-llama.cpp gives no token log-probabilities), generation from llama.cpp,
 * both with the model's adapter applied; implementations batch the requests they are given.
 */
public interface LanguageModel {

    /**
     * lm-eval {@code loglikelihood}: for each request, {@code log P(continuation | context)} summed over
     * the continuation's tokens, and whether each of them is the model's greedy (argmax) choice.
     * Tokenized as lm-eval does: trailing white space of the context moves to the continuation, the
     * continuation's tokens are those {@code tokenize(context + continuation)} has beyond
     * {@code tokenize(context)}, and BOS comes first when the model uses one.
     */
    List<Loglikelihood> loglikelihood(List<ContinuationRequest> requests);

    /**
     * lm-eval {@code loglikelihood_rolling}: the log-likelihood of every token of each text (after BOS),
     * scored in windows when a text is longer than the scoring window.
     */
    List<RollingLoglikelihood> loglikelihoodRolling(List<String> texts);

    /** lm-eval {@code generate_until}: greedy text after each prompt, cut before the first stop string. */
    List<String> generateUntil(List<GenerationTask> tasks);

    /** A context and the continuation whose likelihood is asked for. */
    record ContinuationRequest(String context, String continuation) {
        public ContinuationRequest {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(continuation, "continuation");
            if (continuation.isEmpty()) {
                throw new IllegalArgumentException("the continuation is empty (context: " + abbreviate(context) + ")");
            }
        }
    }

    /**
     * @param logProbability natural-log probability of the continuation's tokens, summed
     * @param greedy whether every continuation token is the argmax of its position
     * @param tokens how many tokens the continuation has
     */
    record Loglikelihood(double logProbability, boolean greedy, int tokens) {}

    /**
     * @param logProbability natural-log probability of the text's tokens, summed
     * @param tokens how many tokens were scored
     */
    record RollingLoglikelihood(double logProbability, int tokens) {}

    /**
     * @param prompt the text generation continues (no chat template is applied)
     * @param until stop strings; the output is cut before the first one that appears
     * @param maxTokens the most tokens to generate
     */
    record GenerationTask(String prompt, List<String> until, int maxTokens) {
        public GenerationTask {
            Objects.requireNonNull(prompt, "prompt");
            until = List.copyOf(until);
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? "'" + s + "'" : "'" + s.substring(0, 57) + "...'";
    }
}
