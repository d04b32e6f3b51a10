package dev.tanrenai.experiment;

import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Starts experiments, evaluates the running one and carries out its decision: promote moves the
 * {@code champion} alias to the challenger (the alias history's reason names the experiment and its
 * numbers) and clears the {@code challenger} alias; roll back and "no difference" clear the
 * {@code challenger} alias (the serving process then sends all traffic to the champion). Every
 * evaluation is recorded in the experiment store. Used by the serving process (periodically) and by
 * {@code pipeline ab decide}; a decision is applied once (the champion move is compare-and-set and the
 * experiment's end too).
 */
public final class Experiments {
    private final ConversationStore conversations;
    private final ModelRegistry registry;
    private final ExperimentStore store;

    public Experiments(ConversationStore conversations, ModelRegistry registry) {
        this.conversations = conversations;
        this.registry = registry;
        this.store = new ExperimentStore(conversations.database());
    }

    public ExperimentStore store() {
        return store;
    }

    /** Starts an experiment of the current champion against {@code challengerId}, from the store's current position. */
    public Experiment start(String challengerId, double share, ExperimentConfig config, Instant at, String startedBy) {
        String championId = registry.alias(ExperimentArm.CHAMPION.wireName())
                .map(ModelRef::id)
                .orElseThrow(() -> new ExperimentException("cannot start an A/B experiment for " + challengerId
                        + ": the 'champion' alias points at nothing"));
        return store.start(
                championId, challengerId, share, config, conversations.stats().lastSequence(), at, startedBy);
    }

    /** Evaluates {@code e} as of {@code now}, without recording or changing anything. */
    public Verdict evaluate(Experiment e, Instant now) {
        Map<ExperimentArm, ArmOutcomes> outcomes = OutcomeReader.read(conversations, store, e);
        return Decider.decide(
                e.config(),
                outcomes.get(ExperimentArm.CHAMPION).summary(),
                outcomes.get(ExperimentArm.CHALLENGER).summary(),
                Duration.between(e.startedAt(), now));
    }

    /**
     * Evaluates the running experiment, records the evaluation and carries out a deciding one.
     *
     * @return what happened; empty when no experiment runs
     */
    public Optional<Applied> decide(Instant now, String actor) {
        Optional<Experiment> running = store.running();
        if (running.isEmpty()) {
            return Optional.empty();
        }
        Experiment e = running.get();
        String challengerNow = registry.alias(ExperimentArm.CHALLENGER.wireName())
                .map(ModelRef::id)
                .orElse(null);
        String championNow = registry.alias(ExperimentArm.CHAMPION.wireName())
                .map(ModelRef::id)
                .orElse(null);
        if (!e.challengerId().equals(challengerNow) || !e.championId().equals(championNow)) {
            String why = "the aliases moved outside the experiment: champion " + championNow + " (started with "
                    + e.championId() + "), challenger " + challengerNow + " (started with " + e.challengerId() + ")";
            store.finish(e.id(), Experiment.Status.SUPERSEDED, why, now);
            return Optional.of(new Applied(store.get(e.id()).orElseThrow(), null, null, "superseded: " + why));
        }
        Verdict v = evaluate(e, now);
        DecisionRecord record = store.record(e.id(), v, now, actor);
        if (!v.decision().ends()) {
            return Optional.of(new Applied(e, v, record, "keep collecting"));
        }
        String reason = "A/B experiment " + e.id() + " " + v.decision().wireName() + ": " + v.reason();
        String action;
        switch (v.decision()) {
            case PROMOTE -> {
                registry.moveAlias(ExperimentArm.CHAMPION.wireName(), e.championId(), e.challengerId(), reason, actor);
                registry.clearAlias(ExperimentArm.CHALLENGER.wireName(), e.challengerId());
                action = "champion " + e.championId() + " -> " + e.challengerId() + "; challenger alias cleared";
            }
            case ROLLBACK, NO_DIFFERENCE -> {
                registry.clearAlias(ExperimentArm.CHALLENGER.wireName(), e.challengerId());
                action = "challenger alias cleared (was " + e.challengerId() + "); champion " + e.championId()
                        + " stays";
            }
            case CONTINUE -> throw new IllegalStateException("continue does not end an experiment");
            default -> throw new IllegalStateException("unknown decision " + v.decision());
        }
        store.finish(e.id(), Experiment.Status.endedBy(v.decision()), reason, now);
        return Optional.of(new Applied(store.get(e.id()).orElseThrow(), v, record, action));
    }

    /**
     * Ends the running experiment {@code e} as rolled back for a reason found outside the evaluation (the
     * serving process's own latency/error guard took the challenger's traffic away): clears the
     * {@code challenger} alias if it still points at the experiment's challenger.
     *
     * @return whether this call ended it (false: it had already ended)
     */
    public boolean rollBack(Experiment e, String reason, Instant now) {
        String challengerNow = registry.alias(ExperimentArm.CHALLENGER.wireName())
                .map(ModelRef::id)
                .orElse(null);
        if (e.challengerId().equals(challengerNow)) {
            registry.clearAlias(ExperimentArm.CHALLENGER.wireName(), e.challengerId());
        }
        return store.finish(
                e.id(), Experiment.Status.ROLLED_BACK, "A/B experiment " + e.id() + " rollback: " + reason, now);
    }

    /**
     * One evaluation and what it did.
     *
     * @param verdict null when the experiment was superseded before it could be evaluated
     * @param record null likewise
     * @param action what changed, in words
     */
    public record Applied(Experiment experiment, Verdict verdict, DecisionRecord record, String action) {}
}
