package dev.tanrenai.train.replay;

import dev.tanrenai.decoder.render.TrainingExample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Chooses replay examples so that they make up at least a given share of a run's trained tokens:
 * for {@code N} new trained tokens and ratio {@code ρ}, replay contributes {@code ≥ ρ/(1-ρ)·N}, so
 * replay / (replay + new) ≥ ρ. Examples are drawn in a seeded shuffled order; when the buffer holds
 * fewer tokens than needed it is drawn again in a fresh order, and the repeats are reported.
 */
public final class ReplayMixer {

    /**
     * The chosen replay examples.
     *
     * @param targetTokens replay tokens the ratio asks for
     * @param trainedTokens replay tokens chosen (>= target unless the pool is empty)
     * @param passes how many times the pool was gone through (> 1: examples repeat)
     */
    public record Selection(List<TrainingExample> examples, long targetTokens, long trainedTokens, int passes) {
        public Selection {
            examples = List.copyOf(examples);
        }
    }

    private ReplayMixer() {}

    /**
     * @param pool the rendered replay buffer
     * @param newTrainedTokens trained tokens of the run's new data
     * @param ratio the replay share of trained tokens, in [0, 1)
     */
    public static Selection select(List<TrainingExample> pool, long newTrainedTokens, double ratio, long seed) {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("replay ratio must be in [0, 1), got " + ratio);
        }
        long target = (long) Math.ceil(ratio * newTrainedTokens / (1 - ratio) - 1e-9); // no rounding-up of 100.0000001
        List<TrainingExample> usable = new ArrayList<>();
        for (TrainingExample e : pool) {
            if (e.trainedTokens() > 0) {
                usable.add(e);
            }
        }
        if (target == 0 || usable.isEmpty()) {
            return new Selection(List.of(), target, 0, 0);
        }
        List<TrainingExample> chosen = new ArrayList<>();
        long tokens = 0;
        int passes = 0;
        while (tokens < target) {
            List<TrainingExample> order = new ArrayList<>(usable);
            Collections.shuffle(order, new Random(seed + passes));
            passes++;
            for (TrainingExample e : order) {
                if (tokens >= target) {
                    break;
                }
                chosen.add(e);
                tokens += e.trainedTokens();
            }
        }
        return new Selection(chosen, target, tokens, passes);
    }
}
