package dev.tanrenai.pipelines.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.store.Database;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refused-batch policy: kept after a refusal, set aside after maxRefusals, counted once per evaluation. */
class BatchesTest {

    @TempDir
    Path dir;

    @Test
    void aRefusedBatchIsKeptThenSetAsideAfterMaxRefusals() {
        Batches batches = new Batches(new RunRecords(Database.open("jdbc:sqlite:" + dir.resolve("s.db"))));
        assertEquals(List.of(), batches.refuse(List.of("b1"), "ev-1", "n-1", 2));
        assertEquals(Batches.PENDING, batches.all().get("b1").state());
        assertEquals(1, batches.all().get("b1").refusals());

        // the same evaluation again (a rerun of the run) does not count twice
        assertEquals(List.of(), batches.refuse(List.of("b1"), "ev-1", "n-2", 2));
        assertEquals(1, batches.all().get("b1").refusals());

        // refused again with new data merged in: the old batch is set aside, the new one kept
        assertEquals(List.of("b1"), batches.refuse(List.of("b1", "b2"), "ev-2", "n-3", 2));
        assertEquals(Batches.SET_ASIDE, batches.all().get("b1").state());
        assertEquals(Batches.PENDING, batches.all().get("b2").state());
    }

    private static boolean learned(RunRecords records) {
        Boolean all = records.database().read("x", c -> Batches.allLearned(c, List.of("b1", "b2")));
        return all;
    }

    @Test
    void learnedIsCommittedInTheCallersTransaction() {
        RunRecords records = new RunRecords(Database.open("jdbc:sqlite:" + dir.resolve("s.db")));
        Batches batches = new Batches(records);
        batches.refuse(List.of("b1"), "ev-1", "n-1", 3);
        assertFalse(learned(records));
        try {
            records.database().write("x", c -> {
                Batches.markLearned(c, List.of("b1", "b2"), "n-2", "ev-2");
                throw new IllegalStateException("crash before commit");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        assertFalse(learned(records));
        records.database().write("x", c -> {
            Batches.markLearned(c, List.of("b1", "b2"), "n-2", "ev-2");
            return null;
        });
        assertTrue(learned(records));
        assertEquals(1, batches.all().get("b1").refusals(), "the refusals stay on record");
    }
}
