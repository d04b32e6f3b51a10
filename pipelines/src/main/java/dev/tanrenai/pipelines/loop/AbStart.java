package dev.tanrenai.pipelines.loop;

import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.experiment.Experiment;
import dev.tanrenai.experiment.ExperimentConfig;
import dev.tanrenai.experiment.Experiments;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.Output;
import java.time.Instant;
import java.util.Optional;

/**
 * A nightly run that promotes in {@code ab} mode starts the online A/B experiment of the new challenger
 * against the champion (issue 15); the serving process picks it up, gives the challenger its share of
 * users and decides. A re-run of the promote stage for the same challenger keeps the running experiment.
 */
final class AbStart {
    private AbStart() {}

    static String start(
            Database db, ModelRegistry registry, String challengerId, double share, String runId, Output log) {
        Experiments experiments = new Experiments(new ConversationStore(db), registry);
        Optional<Experiment> running = experiments.store().running();
        if (running.isPresent() && running.get().challengerId().equals(challengerId)) {
            log.line("promote  A/B experiment " + running.get().id() + " already runs for " + challengerId);
            return running.get().id();
        }
        Experiment e = experiments.start(
                challengerId, share, ExperimentConfig.defaults(), Instant.now(), "pipeline run nightly " + runId);
        log.line("promote  A/B experiment " + e.id() + " started: " + challengerId + " against champion "
                + e.championId() + " for " + Math.round(share * 100) + "% of users (pipeline ab status)");
        return e.id();
    }
}
