package dev.tanrenai.pipelines;

import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.models.registry.Adapter;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import dev.tanrenai.pipelines.loop.Lineage;
import dev.tanrenai.pipelines.train.TrainAndRegister;
import dev.tanrenai.train.loop.TrainConfig;
import dev.tanrenai.train.loop.TrainListener;
import dev.tanrenai.train.replay.ReplayBuffer;
import dev.tanrenai.train.run.TrainRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The demo's train step: a LoRA challenger for the champion, trained once per snapshot. */
final class DemoTraining {
    private DemoTraining() {}

    static Map<String, Object> trainChallenger(
            TanrenaiConfig config, DemoSetup setup, DatasetSnapshot snapshot, Output out) throws IOException {
        ModelRegistry registry = Stores.registry(config);
        ModelRef champion = registry.alias("champion").orElseThrow();
        Map<String, Object> result = new LinkedHashMap<>();
        // a snapshot can hold only held-out rows (one new served conversation, say): nothing to train on either
        if (snapshot.rowCount() == 0 || dev.tanrenai.pipelines.loop.LoopStages.trainingConversations(snapshot) == 0) {
            out.line("  nothing new to train on since the last run; the challenger stays "
                    + registry.alias("challenger").map(ModelRef::id).orElse("(none)"));
            result.put("skipped", "no new conversations");
            return result;
        }
        Optional<Adapter> done = registry.adapters().stream()
                .filter(a -> snapshot.id().equals(a.datasetSnapshotId())
                        && a.baseModelId().equals(champion.base().id()))
                .findFirst();
        if (done.isPresent()) {
            out.line("  already trained on " + snapshot.id() + ": adapter "
                    + done.get().id());
            result.put("adapter", done.get());
        } else {
            TrainConfig train = setup.train();
            LoraConfig lora = setup.lora();
            out.line(String.format(
                    Locale.ROOT,
                    "  rank %d on %s, lr %.0e, %d steps, replay %.0f%% of tokens",
                    lora.rank(),
                    lora.targets().stream()
                            .map(t -> t.name().toLowerCase(Locale.ROOT))
                            .sorted()
                            .toList(),
                    train.learningRate(),
                    train.steps(),
                    100 * train.replayRatio()));
            TrainRequest request = new TrainRequest(
                    champion.base().path(),
                    champion.base().id(),
                    snapshot,
                    lora,
                    train,
                    null,
                    null,
                    config.home().runsDir(),
                    false,
                    config.home().nativeDir());
            ReplayBuffer replay = new ReplayBuffer(
                    Stores.database(config),
                    dev.tanrenai.pipelines.train.RunTrainCommand.DEFAULT_REPLAY_CAPACITY,
                    dev.tanrenai.pipelines.train.RunTrainCommand.REPLAY_SEED);
            // registered without lineage: the conversations are learned (replay buffer, dedupe history,
            // batch marked) only if the gate promotes the adapter (DemoCommand), as in the nightly loop
            TrainAndRegister.Registered trained =
                    TrainAndRegister.trainAndRegister(request, registry, replay, TrainListener.none());
            Lineage.writePending(
                    trained.result().runDir(),
                    snapshot,
                    List.of(snapshot.id()),
                    trained.result().trainedOn().stream()
                            .map(dev.tanrenai.datasets.Conversation::id)
                            .toList());
            out.line(String.format(
                    Locale.ROOT,
                    "  run %s: %d steps, loss %.3f -> %.3f, %.0f tokens/s; adapter %s",
                    trained.result().runId(),
                    trained.result().loop().steps(),
                    trained.result().loop().firstLoss(),
                    trained.result().loop().finalLoss(),
                    trained.result().loop().tokensPerSecond(),
                    trained.adapter().id()));
            result.put("runId", trained.result().runId());
            result.put("adapter", trained.adapter());
            result.put("metrics", trained.result().loop());
            done = Optional.of(trained.adapter());
        }
        String current = registry.alias("challenger").map(ModelRef::id).orElse(null);
        if (!done.get().id().equals(current)) {
            registry.moveAlias("challenger", done.get().id(), "demo: trained on " + snapshot.id(), "demo");
        }
        out.line("  challenger -> " + done.get().id());
        return result;
    }
}
