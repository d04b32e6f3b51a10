package dev.tanrenai.train.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.decoder.render.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayMixerTest {

    private static List<TrainingExample> pool(int n, int trained) {
        List<TrainingExample> pool = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean[] mask = new boolean[trained + 2];
            for (int j = 2; j < mask.length; j++) {
                mask[j] = true;
            }
            pool.add(new TrainingExample("r" + i, new int[mask.length], mask));
        }
        return pool;
    }

    @Test
    void replayReachesTheRatioOfAllTrainedTokens() {
        ReplayMixer.Selection s = ReplayMixer.select(pool(50, 10), 1900, 0.05, 3);
        assertEquals(100, s.targetTokens()); // 0.05 / 0.95 * 1900
        assertEquals(100, s.trainedTokens());
        assertTrue((double) s.trainedTokens() / (s.trainedTokens() + 1900) >= 0.05);
        assertEquals(10, s.examples().size());
        assertEquals(1, s.passes());
        assertEquals(s, ReplayMixer.select(pool(50, 10), 1900, 0.05, 3), "seeded");
    }

    @Test
    void aSmallBufferIsDrawnAgainAndThatIsReported() {
        ReplayMixer.Selection s = ReplayMixer.select(pool(3, 10), 1000, 0.1, 3);
        assertTrue(s.trainedTokens() >= s.targetTokens());
        assertTrue(s.passes() >= 4, "3 examples of 10 tokens cover 112 tokens in 4 passes: " + s.passes());
    }

    @Test
    void anEmptyBufferOrZeroRatioChoosesNothing() {
        assertEquals(0, ReplayMixer.select(List.of(), 1000, 0.05, 1).examples().size());
        assertEquals(0, ReplayMixer.select(pool(3, 10), 1000, 0, 1).examples().size());
        assertThrows(IllegalArgumentException.class, () -> ReplayMixer.select(pool(3, 10), 1000, 1.0, 1));
    }
}
