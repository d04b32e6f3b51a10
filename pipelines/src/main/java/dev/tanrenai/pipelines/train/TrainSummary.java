package dev.tanrenai.pipelines.train;

import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.train.loop.CheckpointRejection;
import dev.tanrenai.train.loop.TrainingLoop;
import dev.tanrenai.train.run.DataReport;
import java.util.Locale;

/** The human summary {@code pipeline run train} prints. */
final class TrainSummary {
    private TrainSummary() {}

    private static String loss(Double loss) {
        return loss == null ? "-" : String.format(Locale.ROOT, "%.4f", loss);
    }

    static void print(Output out, TrainAndRegister.Registered outcome, DatasetSnapshot snapshot) {
        DataReport d = outcome.result().data();
        TrainingLoop.Result loop = outcome.result().loop();
        for (CheckpointRejection r : loop.rejectedCheckpoints()) {
            out.line("checkpoint skipped (an older one was used): " + r);
        }
        if (outcome.alreadyComplete()) {
            out.line("run " + outcome.result().runId() + " was already complete at step " + loop.resumedFromStep()
                    + " of " + loop.steps() + ": adapter " + outcome.adapter().id() + " (registered "
                    + outcome.adapter().addedAt() + ")  " + outcome.adapter().path());
            out.line("nothing trained or registered; run without --resume to train again");
            return;
        }
        out.line("run      " + outcome.result().runId()
                + (loop.resumedFromStep() == loop.steps()
                        ? " (resumed at its final step " + loop.steps() + ": nothing left to train; exported and"
                                + " registered its adapter)"
                        : loop.resumedFromStep() > 0 ? " (resumed at step " + loop.resumedFromStep() + ")" : ""));
        out.line("data     " + snapshot.id() + ": " + d.conversations() + " conversations, "
                + d.withoutAssistantTurn() + " without an assistant turn, "
                + d.unrenderable().size()
                + " unrenderable, " + d.truncated() + " truncated, "
                + d.droppedAfterTruncation().size()
                + " dropped after truncation");
        out.line(String.format(
                Locale.ROOT,
                "replay   %d examples from a buffer of %d: %.1f%% of %d trained tokens%s",
                d.replayExamples(),
                d.replayBufferSize(),
                d.replayShare() * 100,
                d.trainedTokens(),
                d.replayBufferSize() == 0 ? " (the buffer is empty until a run succeeds)" : ""));
        out.line(String.format(
                Locale.ROOT,
                "training %d steps over %d sequences: loss %s -> %s, %.0f tokens/s, %.1f s",
                loop.steps(),
                d.sequences(),
                loss(loop.firstLoss()),
                loss(loop.finalLoss()),
                loop.tokensPerSecond(),
                loop.seconds()));
        for (var e : d.unrenderable().entrySet()) {
            out.line("  unrenderable " + e.getKey() + ": " + e.getValue());
        }
        out.line("adapter  " + outcome.adapter().id() + "  " + outcome.adapter().path());
        out.line("peft     " + outcome.result().peftDir());
        out.line("lineage  pending: the " + outcome.result().trainedOn().size() + " trained conversations go to the"
                + " replay buffer and curate's dedupe history only when this adapter is promoted");
        out.line("         (pipeline run evaluate --candidate "
                + outcome.adapter().id()
                + " --promote: the gate decides; an adapter nobody promotes was never learned)");
    }
}
