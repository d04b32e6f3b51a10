package dev.tanrenai.evaluate.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each bundled slice is the first 50 documents of the full-data task over {@code ../shared/eval/}
 * (converted on load for HellaSwag and PIQA); skipped, with a message, when the shared files are absent.
 */
class BundledSliceTest {

    private static final Path SHARED_TASKS = Path.of("tasks/shared");

    @TempDir
    Path dir;

    @Test
    void slicesAreTheFirstFiftyDocumentsOfTheFullTasks() throws Exception {
        assumeTrue(
                Files.isRegularFile(Path.of("../../shared/eval/hellaswag/hellaswag_val_first1000.txt")),
                "../shared/eval is not present: full-data tasks not checked");
        for (String name : BundledTasks.NAMES) {
            TaskConfig slice = BundledTasks.load(name, dir);
            TaskConfig full = TaskFile.read(SHARED_TASKS.resolve(name + ".yaml"));
            assertEquals(50, slice.docs().size(), name);
            assertEquals(full.docs().subList(0, 50), slice.docs(), name + ": the slice is the converter's output");
            assertEquals(full.name(), slice.name());
            assertEquals(full.metrics(), slice.metrics());
            assertEquals(full.docToText().source(), slice.docToText().source());
        }
    }
}
