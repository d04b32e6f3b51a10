package dev.tanrenai.train.loop;

/**
 * What one optimizer step did, as written to the run's {@code metrics.jsonl}.
 *
 * @param step 1-based step number
 * @param steps steps of the run
 * @param epoch passes over the packed data completed before this step's first sequence
 * @param loss mean cross-entropy per counted token (nats)
 * @param kl mean KL-to-base per replay position (0 when off)
 * @param learningRate the step's learning rate
 * @param gradNorm global L2 norm of the gradient before clipping
 * @param tokens tokens run through the model in this step
 * @param trainedTokens positions the loss counted in this step
 * @param tokensPerSecond tokens / wall time of this step
 * @param elapsedSeconds since this process started (or resumed) the run
 * @param etaSeconds estimated time to the last step
 */
public record StepMetrics(
        int step,
        int steps,
        int epoch,
        double loss,
        double kl,
        float learningRate,
        float gradNorm,
        long tokens,
        long trainedTokens,
        double tokensPerSecond,
        double elapsedSeconds,
        double etaSeconds) {}
