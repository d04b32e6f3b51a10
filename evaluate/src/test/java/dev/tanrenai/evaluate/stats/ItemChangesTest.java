package dev.tanrenai.evaluate.stats;

import static dev.tanrenai.evaluate.stats.StatsFixtures.ACC;
import static dev.tanrenai.evaluate.stats.StatsFixtures.MEAN;
import static dev.tanrenai.evaluate.stats.StatsFixtures.NLL_PER_TOKEN;
import static dev.tanrenai.evaluate.stats.StatsFixtures.accItem;
import static dev.tanrenai.evaluate.stats.StatsFixtures.item;
import static dev.tanrenai.evaluate.stats.StatsFixtures.ratioItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tanrenai.evaluate.result.ItemScore;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemChangesTest {

    private static List<String> ids(List<ItemChange> changes) {
        return changes.stream().map(ItemChange::itemId).toList();
    }

    /** Improvements: a +0.5, b −0.2, c +0.5, d 0, e +0.1, f −0.7. */
    @Test
    void winsAndLossesOrderedWithTiesById() {
        List<ItemScore> base = List.of(
                item("c", "1", 0),
                item("a", "1", 0),
                item("b", "2", 0.5),
                item("d", "2", 1),
                item("e", "3", 0.2),
                item("f", "3", 0.9));
        List<ItemScore> cand = List.of(
                item("a", "1", 0.5),
                item("b", "2", 0.3),
                item("c", "1", 0.5),
                item("d", "2", 1),
                item("e", "3", 0.3),
                item("f", "3", 0.2));
        ItemChanges changes = ItemChanges.of(MEAN, base, cand, 10);
        assertEquals(List.of("a", "c", "e"), ids(changes.wins()));
        assertEquals(List.of("f", "b"), ids(changes.losses()));
        ItemChange a = changes.wins().get(0);
        assertEquals(0, a.baseline(), 0);
        assertEquals(0.5, a.candidate(), 0);
        assertEquals(0.5, a.improvement(), 1e-15);
        assertEquals("text of a", a.text());
        assertEquals(-0.7, changes.losses().get(0).improvement(), 1e-15);

        ItemChanges two = ItemChanges.of(MEAN, base, cand, 2);
        assertEquals(List.of("a", "c"), ids(two.wins()));
        assertEquals(List.of("f", "b"), ids(two.losses()));
        assertEquals(List.of(), ItemChanges.of(MEAN, base, cand, 0).wins());
    }

    /** Lower is better; per-item nll/tokens: a 4/2 = 2 → 2/2 = 1 (win +1), b 3/3 = 1 → 6/3 = 2 (loss −1). */
    @Test
    void ratioPerItemValuesSkipZeroDenominators() {
        List<ItemScore> base = List.of(ratioItem("a", "x", 4, 2), ratioItem("b", "x", 3, 3), ratioItem("z", "x", 0, 0));
        List<ItemScore> cand = List.of(ratioItem("a", "x", 2, 2), ratioItem("b", "x", 6, 3), ratioItem("z", "x", 1, 0));
        ItemChanges changes = ItemChanges.of(NLL_PER_TOKEN, base, cand, 5);
        assertEquals(1, changes.wins().size());
        ItemChange a = changes.wins().get(0);
        assertEquals("a", a.itemId());
        assertEquals(2, a.baseline(), 1e-15);
        assertEquals(1, a.candidate(), 1e-15);
        assertEquals(1, a.improvement(), 1e-15);
        assertEquals(List.of("b"), ids(changes.losses()));
        assertEquals(-1, changes.losses().get(0).improvement(), 1e-15);
    }

    /** Baseline 0,1,1,0,1 → candidate 1,0,1,1,0: learned q0, q3; forgotten q1, q4. */
    @Test
    void binaryLearnedAndForgotten() {
        double[] b = {0, 1, 1, 0, 1};
        double[] c = {1, 0, 1, 1, 0};
        List<ItemScore> base = new java.util.ArrayList<>();
        List<ItemScore> cand = new java.util.ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            base.add(accItem("q" + i, "q" + i, b[i]));
            cand.add(accItem("q" + i, "q" + i, c[i]));
        }
        ItemChanges changes = ItemChanges.of(ACC, base, cand, 10);
        assertEquals(List.of("q0", "q3"), ids(changes.wins()));
        assertEquals(List.of("q1", "q4"), ids(changes.losses()));
        for (ItemChange w : changes.wins()) {
            assertEquals(0, w.baseline(), 0);
            assertEquals(1, w.candidate(), 0);
        }
        cand.set(2, accItem("q2", "q2", 0.7));
        assertThrows(IllegalArgumentException.class, () -> ItemChanges.of(ACC, base, cand, 10));
    }

    @Test
    void mismatchedItemsAndBadLimit() {
        List<ItemScore> base = List.of(item("a", "1", 0));
        assertThrows(ItemMismatchException.class, () -> ItemChanges.of(MEAN, base, List.of(item("b", "1", 0)), 3));
        assertThrows(IllegalArgumentException.class, () -> ItemChanges.of(MEAN, base, base, -1));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ItemChanges(List.of(new ItemChange("a", "", 1, 1, 0)), List.of()));
    }
}
