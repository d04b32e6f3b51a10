package dev.tanrenai.pipelines.train;

import dev.tanrenai.curate.HistoryIndex;
import dev.tanrenai.models.registry.Adapter;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.train.loop.TrainListener;
import dev.tanrenai.train.loop.TrainingLoop;
import dev.tanrenai.train.replay.ReplayBuffer;
import dev.tanrenai.train.run.TrainRequest;
import dev.tanrenai.train.run.TrainResult;
import dev.tanrenai.train.run.TrainRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The train stage as the loop runs it: train on the dataset with the replay buffer mixed in,
 * register the adapter with its provenance, and only then — the run having succeeded — offer the
 * trained conversations to the replay buffer and record them (and the buffer) in curate's dedupe
 * history index, so later curate runs drop conversations the model has already learned from.
 */
public final class TrainAndRegister {

    /**
     * @param replayKept how many of the trained conversations the replay buffer kept (0 when it was registered before)
     * @param history what the dedupe history index now holds for this run
     * @param alreadyRegistered the adapter (same SHA-256) was registered before this run: the replay
     *     buffer and the history were fed then and are not fed twice
     */
    public record Outcome(
            TrainResult result,
            Adapter adapter,
            int replayKept,
            HistoryIndex.OriginSummary history,
            boolean alreadyRegistered) {

        /**
         * A resume found the run finished (its newest checkpoint is the final step) and its adapter
         * registered: nothing was trained, registered or fed.
         */
        public boolean alreadyComplete() {
            TrainingLoop.Result loop = result.loop();
            return alreadyRegistered && loop.resumedFromStep() == loop.steps();
        }
    }

    private TrainAndRegister() {}

    public static Outcome run(
            TrainRequest request,
            ModelRegistry registry,
            ReplayBuffer replay,
            Path historyIndex,
            TrainListener listener)
            throws IOException {
        Registered r = trainAndRegister(request, registry, replay, listener);
        TrainResult result = r.result();
        // the replay buffer counts every offer: an adapter registered before was offered then
        int kept = r.alreadyRegistered() ? 0 : replay.offer(result.trainedOn(), result.runId());
        HistoryIndex.OriginSummary history = HistoryIndex.replace(
                historyIndex, result.runId(), result.trainedOn().iterator());
        HistoryIndex.replace(historyIndex, "replay", replay.contents().iterator());
        return new Outcome(result, r.adapter(), kept, history, r.alreadyRegistered());
    }

    /**
     * A trained and registered adapter whose conversations are not yet offered to the replay buffer
     * nor recorded in the dedupe history: the nightly loop commits that lineage only when the gate
     * promotes the adapter.
     */
    public record Registered(TrainResult result, Adapter adapter, boolean alreadyRegistered) {

        /** A resume found the run finished and its adapter registered: nothing was trained or registered. */
        public boolean alreadyComplete() {
            TrainingLoop.Result loop = result.loop();
            return alreadyRegistered && loop.resumedFromStep() == loop.steps();
        }
    }

    /** Trains (resuming the run's checkpoints when {@code request.resume()}) and registers; feeds nothing. */
    public static Registered trainAndRegister(
            TrainRequest request, ModelRegistry registry, ReplayBuffer replay, TrainListener listener)
            throws IOException {
        TrainResult result = new TrainRun(request, replay.contents()).execute(listener);
        Optional<Adapter> known = registry.adapters().stream()
                .filter(a -> a.sha256().equals(result.adapterSha256())
                        && a.baseModelId().equals(request.baseModelId()))
                .findFirst();
        Adapter adapter = known.isPresent()
                ? known.get()
                : registry.addAdapter(
                        result.adapterGguf(),
                        request.baseModelId(),
                        result.runId(),
                        request.dataset().id(),
                        result.provenance());
        return new Registered(result, adapter, known.isPresent());
    }
}
