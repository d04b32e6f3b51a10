package dev.tanrenai.pipelines.evaluate;

import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.evaluate.run.EvaluationPlan;
import dev.tanrenai.evaluate.run.EvaluationResult;
import dev.tanrenai.evaluate.run.Evaluator;
import dev.tanrenai.evaluate.store.EvaluationStore;
import dev.tanrenai.models.registry.AliasMove;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.loop.Lineage;
import java.io.IOException;

/**
 * The evaluate stage as one call: plan, evaluate, record in the store, and — when asked and the gate
 * (or a person, with a reason) says promote — move the champion alias to the candidate, only if it
 * still points where it pointed when the evaluation started.
 */
public final class Evaluations {

    private Evaluations() {}

    /**
     * @param result the evaluation
     * @param promotion the champion alias move, or null when nothing was promoted
     * @param lineage the promoted adapter's lineage committed with the move, or null (nothing promoted, or no
     *     pending lineage: an adapter added by hand)
     */
    public record Outcome(EvaluationResult result, AliasMove promotion, Lineage.Committed lineage) {}

    public static Outcome run(
            TanrenaiConfig config, EvaluateOptions options, boolean promote, Evaluator.Listener listener)
            throws IOException {
        Database db = Stores.database(config);
        ModelRegistry registry = new ModelRegistry(db, config.home());
        String championBefore =
                registry.alias(EvaluateOptions.CHAMPION).map(ModelRef::id).orElse(null);
        if ((promote || options.forceReason() != null)
                && options.baseline() != null
                && !options.baseline().equals(EvaluateOptions.CHAMPION)
                && !options.baseline().equals(championBefore)) {
            throw new IllegalArgumentException("--promote compares against the champion; --baseline "
                    + options.baseline() + " is not the champion (" + championBefore + ")");
        }
        EvaluationPlan plan = EvaluationSetup.plan(config, options, db, registry);
        if ((promote || options.forceReason() != null) && plan.candidateAdapterId() != null) {
            // fail before the evaluation, not after it, when the candidate could never be promoted
            registry.requireServable(plan.candidateAdapterId());
        }
        EvaluationStore store = new EvaluationStore(db);
        EvaluationResult result = new Evaluator(store, listener).evaluate(plan);
        AliasMove move = null;
        if ((promote || options.forceReason() != null) && result.decision().promote()) {
            if (plan.candidateAdapterId() == null) {
                throw new IllegalArgumentException("the candidate " + plan.candidateLabel()
                        + " is not in the registry: register it (pipeline models add-adapter) to promote it");
            }
            String reason =
                    (result.decision().forced() ? "forced: " + result.decision().forceReason() + "; " : "")
                            + "evaluation " + result.id() + ": "
                            + result.decision().summary();
            move = registry.moveAlias(
                    EvaluateOptions.CHAMPION,
                    championBefore,
                    plan.candidateAdapterId(),
                    reason,
                    "pipeline run evaluate");
        }
        Lineage.Committed lineage = null;
        if (move != null) {
            var adapter = registry.resolve(plan.candidateAdapterId());
            if (adapter.isAdapter()) {
                var pending = Lineage.pending(config, adapter.adapter());
                if (pending.isPresent()) {
                    lineage = Lineage.commit(
                            config,
                            db,
                            adapter.adapter().producingRunId(),
                            pending.get(),
                            "pipeline run evaluate",
                            result.id());
                }
            }
        }
        return new Outcome(result, move, lineage);
    }
}
