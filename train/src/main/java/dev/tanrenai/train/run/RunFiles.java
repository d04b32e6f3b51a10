package dev.tanrenai.train.run;

import dev.tanrenai.train.loop.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files of a run directory. */
final class RunFiles {
    private RunFiles() {}

    /** Removes what an earlier attempt of the same run left (checkpoints, metrics, exports): a fresh start. */
    static void clear(Path runDir) throws IOException {
        for (String name : new String[] {"checkpoints", "peft"}) {
            Path dir = runDir.resolve(name);
            dev.tanrenai.datasets.home.Directories.clear(dir);
            Files.deleteIfExists(dir);
        }
        Files.deleteIfExists(runDir.resolve(TrainingLoop.METRICS_FILE));
        Files.deleteIfExists(runDir.resolve("adapter.gguf"));
        Files.deleteIfExists(runDir.resolve(TrainRun.RECORD_FILE));
    }
}
