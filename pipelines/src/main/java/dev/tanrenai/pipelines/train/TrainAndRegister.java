package dev.tanrenai.pipelines.train;

import dev.tanrenai.curate.HistoryIndex;
import dev.tanrenai.models.registry.Adapter;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.train.loop.TrainListener;
import dev.tanrenai.train.replay.ReplayBuffer;
import dev.tanrenai.train.run.TrainRequest;
import dev.tanrenai.train.run.TrainResult;
import dev.tanrenai.train.run.TrainRun;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The train stage as the loop runs it: train on the dataset with the replay buffer mixed in,
 * register the adapter with its provenance, and only then — the run having succeeded — offer the
 * trained conversations to the replay buffer and record them (and the buffer) in curate's dedupe
 * history index, so later curate runs drop conversations the model has already learned from.
 */
public final class TrainAndRegister {

    /**
     * @param replayKept how many of the trained conversations the replay buffer kept
     * @param history what the dedupe history index now holds for this run
     */
    public record Outcome(TrainResult result, Adapter adapter, int replayKept, HistoryIndex.OriginSummary history) {}

    private TrainAndRegister() {}

    public static Outcome run(
            TrainRequest request,
            ModelRegistry registry,
            ReplayBuffer replay,
            Path historyIndex,
            TrainListener listener)
            throws IOException {
        TrainResult result = new TrainRun(request, replay.contents()).execute(listener);
        Adapter adapter = registry.addAdapter(
                result.adapterGguf(),
                request.baseModelId(),
                result.runId(),
                request.dataset().id(),
                result.provenance());
        int kept = replay.offer(result.trainedOn(), result.runId());
        HistoryIndex.OriginSummary history = HistoryIndex.replace(
                historyIndex, result.runId(), result.trainedOn().iterator());
        HistoryIndex.replace(historyIndex, "replay", replay.contents().iterator());
        return new Outcome(result, adapter, kept, history);
    }
}
