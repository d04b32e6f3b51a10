package dev.tanrenai.pipelines.loop;

/** A stage of the nightly loop failed (after its retries) or timed out; the message names the stage. */
public final class StageFailedException extends RuntimeException {

    private final LoopStage stage;

    public StageFailedException(LoopStage stage, String message, Throwable cause) {
        super(stage.label() + ": " + message, cause);
        this.stage = stage;
    }

    public LoopStage stage() {
        return stage;
    }
}
