package dev.tanrenai.train.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReservoirTest {

    @Test
    void theFirstItemsFillTheSlots() {
        for (int k = 1; k <= 5; k++) {
            assertEquals(k - 1, Reservoir.slotFor(k, 5, 42));
        }
    }

    @Test
    void decisionsDependOnlyOnSeedAndPosition() {
        assertEquals(Reservoir.slotFor(1000, 10, 7), Reservoir.slotFor(1000, 10, 7));
    }

    @Test
    void everyItemIsKeptWithProbabilityCapacityOverSeen() {
        int items = 40;
        int capacity = 8;
        int trials = 4000;
        int[] keptAtEnd = new int[items];
        for (long seed = 0; seed < trials; seed++) {
            int[] slots = new int[capacity];
            for (int k = 1; k <= items; k++) {
                int slot = Reservoir.slotFor(k, capacity, seed);
                if (slot >= 0) {
                    slots[slot] = k;
                }
            }
            for (int item : slots) {
                keptAtEnd[item - 1]++;
            }
        }
        double expected = trials * (double) capacity / items; // 800
        for (int i = 0; i < items; i++) {
            // binomial sd = sqrt(4000 * 0.2 * 0.8) ≈ 25: allow 5 sd
            assertTrue(Math.abs(keptAtEnd[i] - expected) < 130, "item " + (i + 1) + " kept " + keptAtEnd[i] + " times");
        }
    }
}
