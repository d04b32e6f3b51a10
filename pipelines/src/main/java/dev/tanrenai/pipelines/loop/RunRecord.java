package dev.tanrenai.pipelines.loop;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One nightly run as recorded in the store.
 *
 * @param id {@code n-<utc time>-<random>}
 * @param trigger manual, schedule or resume
 * @param resumes the run a resume continues, or null
 * @param state how it ended, or running
 * @param reason why it ended so (the skip reason, the gate's summary), or null
 * @param errorStage the stage that failed, or null
 * @param error what went wrong, or null
 * @param dir its directory: {@code run.log}, {@code report.html}
 * @param cancelRequested {@code pipeline runs cancel} asked it to stop
 * @param stages its stages in the order they ran
 */
public record RunRecord(
        String id,
        Trigger trigger,
        String resumes,
        RunState state,
        String reason,
        Instant started,
        Instant ended,
        LoopStage errorStage,
        String error,
        Path dir,
        boolean cancelRequested,
        List<StageRecord> stages) {

    public RunRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(state, "state");
        stages = List.copyOf(stages);
    }

    public Path logFile() {
        return dir.resolve("run.log");
    }

    public Path reportFile() {
        return dir.resolve("report.html");
    }
}
