package dev.tanrenai.train.loop;

/** Follows a training run: a progress bar, a metrics sink, a test that interrupts a run. */
public interface TrainListener {

    /** After each optimizer step. Throwing stops the run (its last checkpoint stays). */
    void onStep(StepMetrics metrics);

    /** After a checkpoint was written. */
    default void onCheckpoint(Checkpoint checkpoint) {}

    /** When a resume skips a damaged or unusable checkpoint (an older one is tried next). */
    default void onCheckpointRejected(CheckpointRejection rejection) {}

    static TrainListener none() {
        return m -> {};
    }
}
