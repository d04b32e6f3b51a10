package dev.tanrenai.pipelines.loop;

/** {@code pipeline runs cancel} asked the run to stop; it stopped before {@code stage}. */
public final class RunCancelledException extends RuntimeException {

    private final LoopStage stage;

    public RunCancelledException(String runId, LoopStage stage) {
        super("run " + runId + " was cancelled (pipeline runs cancel) during or before stage " + stage.label());
        this.stage = stage;
    }

    public LoopStage stage() {
        return stage;
    }
}
