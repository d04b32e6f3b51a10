package dev.tanrenai.train.loop;

/**
 * The hyper-parameters of one training run (the adapter's shape is {@link dev.tanrenai.decoder.lora.LoraConfig}).
 *
 * @param steps optimizer steps
 * @param learningRate peak AdamW learning rate, reached after warm-up
 * @param warmupSteps linear warm-up from 0 to the peak
 * @param minLearningRateRatio the cosine decay ends at {@code learningRate × minLearningRateRatio}
 * @param weightDecay AdamW's decoupled weight decay
 * @param maxGradNorm global L2 norm the gradient is clipped to (0 = no clipping)
 * @param accumulation packed sequences per optimizer step (gradient accumulation)
 * @param maxLength tokens per packed sequence; longer examples are truncated
 * @param replayRatio share of trained tokens drawn from the replay buffer, in [0, 1)
 * @param klWeight weight β of the KL-to-base term on replay tokens (0 = off)
 * @param checkpointEvery steps between checkpoints (0 = only at the end)
 * @param keepCheckpoints how many of the newest checkpoints to keep (>= 1)
 * @param seed seed of data order, packing, replay choice and dropout
 */
public record TrainConfig(
        int steps,
        float learningRate,
        int warmupSteps,
        float minLearningRateRatio,
        float weightDecay,
        float maxGradNorm,
        int accumulation,
        int maxLength,
        double replayRatio,
        float klWeight,
        int checkpointEvery,
        int keepCheckpoints,
        long seed) {

    /**
     * The default replay share: 5% of trained tokens. Scialom et al. (2022, "Fine-tuned Language
     * Models are Continual Learners") found that rehearsing 1% of earlier tasks' data keeps most of
     * what an instruction-tuned model knew; nightly runs here are small and drawn from a narrow
     * stream of one team's chats, so Tanrenai rehearses five times that floor.
     */
    public static final double DEFAULT_REPLAY_RATIO = 0.05;

    public TrainConfig {
        require(steps >= 1 && steps <= 10_000_000, "steps", "in [1, 10000000]", steps);
        require(learningRate > 0 && learningRate < 1, "learning rate", "in (0, 1)", learningRate);
        require(warmupSteps >= 0 && warmupSteps < steps, "warm-up steps", "in [0, steps)", warmupSteps);
        require(
                minLearningRateRatio >= 0 && minLearningRateRatio <= 1,
                "min learning rate ratio",
                "in [0, 1]",
                minLearningRateRatio);
        require(weightDecay >= 0 && weightDecay < 1, "weight decay", "in [0, 1)", weightDecay);
        require(maxGradNorm >= 0 && Float.isFinite(maxGradNorm), "max grad norm", ">= 0", maxGradNorm);
        require(accumulation >= 1 && accumulation <= 4096, "accumulation", "in [1, 4096]", accumulation);
        require(maxLength >= 8 && maxLength <= 1 << 20, "max length", "in [8, 1048576]", maxLength);
        require(replayRatio >= 0 && replayRatio < 1, "replay ratio", "in [0, 1)", replayRatio);
        require(klWeight >= 0 && Float.isFinite(klWeight), "KL weight", ">= 0", klWeight);
        require(checkpointEvery >= 0, "checkpoint interval", ">= 0", checkpointEvery);
        require(keepCheckpoints >= 1, "kept checkpoints", ">= 1", keepCheckpoints);
    }

    /**
     * 100 steps at 1e-3 (LoRA tolerates rates well above full fine-tuning's), 10 warm-up steps,
     * cosine to 10%, no weight decay, clipping at norm 1, one 1024-token sequence per step,
     * {@link #DEFAULT_REPLAY_RATIO 5% replay}, no KL term, a checkpoint every 50 steps, keeping 2.
     */
    public static TrainConfig defaults() {
        return new TrainConfig(100, 1e-3f, 10, 0.1f, 0f, 1f, 1, 1024, DEFAULT_REPLAY_RATIO, 0f, 50, 2, 42L);
    }

    /** The learning rate of step {@code step} (1-based): linear warm-up, then cosine decay. */
    public float learningRateAt(int step) {
        if (step < 1 || step > steps) {
            throw new IllegalArgumentException("step " + step + " is outside 1.." + steps);
        }
        if (step <= warmupSteps) {
            return learningRate * step / warmupSteps;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
        double floor = learningRate * (double) minLearningRateRatio;
        return (float) (floor + (learningRate - floor) * 0.5 * (1 + StrictMath.cos(Math.PI * progress)));
    }

    private static void require(boolean ok, String what, String range, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(what + " must be " + range + ", got " + value);
        }
    }
}
