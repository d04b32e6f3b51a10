package dev.tanrenai.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.decoder.render.TrainingExample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequencePackerTest {

    /** BOS, then {@code context} untrained and {@code answer} trained tokens. */
    static TrainingExample example(String id, int context, int answer) {
        int n = 1 + context + answer;
        int[] tokens = new int[n];
        boolean[] mask = new boolean[n];
        tokens[0] = 1;
        for (int i = 1; i < n; i++) {
            tokens[i] = 3 + Math.floorMod(id.hashCode() + i, 200);
            mask[i] = i > context;
        }
        return new TrainingExample(id, tokens, mask);
    }

    static List<SequencePacker.Item> items(int count) {
        List<SequencePacker.Item> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(new SequencePacker.Item(example("c" + i, 3 + i % 5, 2 + i % 3), i % 4 == 0));
        }
        return items;
    }

    @Test
    void packsEveryExampleOnceWithinTheLimitKeepingTokensMasksAndReplayFlags() {
        List<SequencePacker.Item> items = items(20);
        SequencePacker.Result r = SequencePacker.pack(items, 24, 7);
        Set<String> seen = new HashSet<>();
        long tokens = 0;
        for (PackedSequence s : r.sequences()) {
            assertTrue(s.length() <= 24, s.toString());
            int[] t = s.tokens();
            boolean[] m = s.lossMask();
            int[] seg = s.segments();
            int start = 0;
            for (int i = 1; i <= t.length; i++) {
                if (i == t.length || seg[i] != seg[i - 1]) {
                    String id = s.conversationIds().get(seg[start]);
                    assertTrue(seen.add(id), "packed once: " + id);
                    SequencePacker.Item item = items.get(Integer.parseInt(id.substring(1)));
                    assertArrayEquals(item.example().tokens(), java.util.Arrays.copyOfRange(t, start, i));
                    assertArrayEquals(item.example().lossMask(), java.util.Arrays.copyOfRange(m, start, i));
                    assertEquals(item.replay(), s.replay()[start]);
                    start = i;
                }
            }
            tokens += s.length();
        }
        assertEquals(20, seen.size());
        assertEquals(tokens, r.tokens());
        assertEquals(0, r.truncated());
        assertTrue(r.sequences().size() < 20, "examples share sequences");
        long replay = items.stream()
                .filter(SequencePacker.Item::replay)
                .mapToLong(i -> i.example().trainedTokens())
                .sum();
        assertEquals(replay, r.trainedReplayTokens());
    }

    @Test
    void sameSeedSamePackingOtherSeedOtherOrder() {
        assertEquals(SequencePacker.pack(items(20), 24, 7), SequencePacker.pack(items(20), 24, 7));
        assertNotEquals(
                SequencePacker.pack(items(20), 24, 7).sequences(),
                SequencePacker.pack(items(20), 24, 8).sequences());
    }

    @Test
    void longExamplesAreTruncatedAndDroppedWhenNoTrainedTokenRemains() {
        List<SequencePacker.Item> items = List.of(
                new SequencePacker.Item(example("long-answer", 4, 20), false), // keeps 4 trained tokens of 20
                new SequencePacker.Item(example("long-context", 12, 3), false)); // only context fits
        SequencePacker.Result r = SequencePacker.pack(items, 9, 1);
        assertEquals(2, r.truncated());
        assertEquals(List.of("long-context"), r.dropped());
        assertEquals(1, r.sequences().size());
        assertEquals(9, r.sequences().get(0).length());
        assertEquals(4, r.trainedTokens());
    }

    @Test
    void theFirstTokenOfASegmentIsNeverAPredictionTarget() {
        TrainingExample odd = new TrainingExample("odd", new int[] {1, 5, 6}, new boolean[] {true, true, true});
        PackedSequence s = SequencePacker.pack(
                        List.of(new SequencePacker.Item(odd, false), new SequencePacker.Item(odd, false)), 8, 0)
                .sequences()
                .get(0);
        assertFalse(s.lossMask()[0]);
        assertFalse(s.lossMask()[3]);
        assertEquals(4, s.trainedTokens());
        assertThrows(
                IllegalArgumentException.class,
                () -> new PackedSequence(
                        new int[] {1, 2}, new boolean[] {true, true}, new boolean[2], new int[2], List.of("x")));
    }
}
