package dev.tanrenai.evaluate.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Windows are grouped into passes of rows side by side: each window once, rows × padded length within the budget. */
class ScoringWindowsTest {

    @Test
    void passesHoldEveryWindowOnceWithinRowsTimesLength() {
        int[] lengths = {30, 200, 7, 64, 64, 150, 12, 100, 3, 64};
        List<ScoringRequest> requests = new ArrayList<>();
        for (int r = 0; r < lengths.length; r++) {
            requests.add(ScoringRequest.all("r" + r, new int[lengths[r]]));
        }
        ScoringSettings settings = new ScoringSettings(64, 200, 4); // 200 and 150 in windows of 64
        List<ScoringWindows.Batch> batches = ScoringWindows.plan(requests, settings);
        Set<String> seen = new HashSet<>();
        int scored = 0;
        int previousLength = Integer.MAX_VALUE;
        for (ScoringWindows.Batch b : batches) {
            int longest =
                    b.pieces().stream().mapToInt(p -> p.tokens().length).max().orElseThrow();
            assertEquals(longest, b.length(), "a pass is padded to its longest window");
            assertTrue(b.pieces().size() * b.length() <= settings.batchTokens(), "rows x length " + b);
            assertEquals(b.pieces().stream().mapToInt(p -> p.tokens().length).sum(), b.tokens(), "real tokens");
            assertTrue(b.length() <= previousLength, "longest windows first");
            previousLength = b.length();
            for (ScoringWindows.Piece p : b.pieces()) {
                assertTrue(seen.add(p.request() + "@" + p.outputIndex()[0]), "window scored twice: " + p);
                scored += p.scoredLocal().length;
            }
        }
        int expected = requests.stream().mapToInt(ScoringRequest::scoredCount).sum();
        assertEquals(expected, scored, "every scored token exactly once");
        // 64-token windows: 3 of 200, 2 of 150, 3 of 64, 1 of 100 -> 9 rows of 64, three per pass
        assertEquals(64, batches.get(0).length());
        assertEquals(3, batches.get(0).pieces().size());
    }
}
