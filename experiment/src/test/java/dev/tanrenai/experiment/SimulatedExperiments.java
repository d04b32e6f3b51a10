package dev.tanrenai.experiment;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Seeded simulated experiments: users arrive one at a time, are assigned to the challenger with
 * probability {@code share}, give 1 to 3 thumbs (each up with their arm's probability, or with a
 * per-user probability around it when {@code userSpread > 0}), and the decision is looked at after
 * every user (continuous peeking), exactly as {@link Decider} decides in production.
 */
final class SimulatedExperiments {
    /** How one simulated experiment ended: its decision and after how many users. */
    record Run(Decision decision, long users) {}

    private SimulatedExperiments() {}

    static Run run(
            ExperimentConfig config,
            double pChampion,
            double pChallenger,
            double share,
            double userSpread,
            int maxUsers,
            long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        PrimaryStats a = new PrimaryStats();
        PrimaryStats b = new PrimaryStats();
        for (int user = 1; user <= maxUsers; user++) {
            boolean challenger = random.nextDouble() < share;
            double p = challenger ? pChallenger : pChampion;
            if (userSpread > 0) {
                p = Math.min(1, Math.max(0, p + (random.nextDouble() * 2 - 1) * userSpread));
            }
            int ratings = 1 + random.nextInt(3);
            int ups = 0;
            for (int k = 0; k < ratings; k++) {
                ups += random.nextDouble() < p ? 1 : 0;
            }
            (challenger ? b : a).add(ups / (double) ratings);
            if (a.n() < 2 || b.n() < 2) {
                continue;
            }
            Verdict v = Decider.decide(config, ArmSummary.ofPrimary(a), ArmSummary.ofPrimary(b), Duration.ZERO);
            if (v.decision().ends()) {
                return new Run(v.decision(), user);
            }
        }
        return new Run(Decision.CONTINUE, maxUsers);
    }
}
