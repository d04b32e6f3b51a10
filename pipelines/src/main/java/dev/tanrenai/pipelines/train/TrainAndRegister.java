package dev.tanrenai.pipelines.train;

import dev.tanrenai.models.registry.Adapter;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.train.loop.TrainListener;
import dev.tanrenai.train.loop.TrainingLoop;
import dev.tanrenai.train.replay.ReplayBuffer;
import dev.tanrenai.train.run.TrainRequest;
import dev.tanrenai.train.run.TrainResult;
import dev.tanrenai.train.run.TrainRun;
import java.io.IOException;
import java.util.Optional;

/**
 * Trains on a dataset with the replay buffer mixed in and registers the adapter with its provenance.
 * It feeds nothing: what the adapter learned (replay buffer, dedupe history, batches marked learned)
 * is committed by {@code loop.Lineage} only when the adapter is promoted.
 */
public final class TrainAndRegister {

    private TrainAndRegister() {}

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
