package dev.tanrenai.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainConfigTest {

    private static TrainConfig config(int steps, int warmup) {
        return new TrainConfig(steps, 1e-3f, warmup, 0.1f, 0f, 1f, 1, 64, 0.05, 0f, 0, 1, 1);
    }

    @Test
    void warmupRisesLinearlyThenCosineFallsToTheFloor() {
        TrainConfig c = config(110, 10);
        assertEquals(1e-4f, c.learningRateAt(1), 1e-9);
        assertEquals(5e-4f, c.learningRateAt(5), 1e-9);
        assertEquals(1e-3f, c.learningRateAt(10), 1e-9);
        assertEquals((1e-3 + 1e-4) / 2, c.learningRateAt(60), 1e-8); // half-way through the decay
        assertEquals(1e-4f, c.learningRateAt(110), 1e-9);
        for (int s = 11; s <= 110; s++) {
            assertTrue(c.learningRateAt(s) <= c.learningRateAt(s - 1), "decays monotonically at " + s);
        }
        assertThrows(IllegalArgumentException.class, () -> c.learningRateAt(111));
    }

    @Test
    void invalidSettingsSayWhatAndWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(10, 10));
        assertEquals("warm-up steps must be in [0, steps), got 10", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new TrainConfig(10, 1e-3f, 0, 0.1f, 0f, 1f, 1, 64, 1.0, 0f, 0, 1, 1));
        assertEquals("replay ratio must be in [0, 1), got 1.0", e.getMessage());
        assertEquals(0.05, TrainConfig.defaults().replayRatio());
    }
}
