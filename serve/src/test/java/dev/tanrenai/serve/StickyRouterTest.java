package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StickyRouterTest {

    @Test
    void aUserStaysOnOneArmAndTheSplitMatchesTheShare() {
        int challenger = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            String user = "user-" + i;
            Arm arm = StickyRouter.route(user, 0.3);
            assertEquals(arm, StickyRouter.route(user, 0.3), "sticky");
            if (arm == Arm.CHALLENGER) {
                challenger++;
                assertEquals(Arm.CHALLENGER, StickyRouter.route(user, 0.6), "raising the share keeps challenger users");
            }
            if (StickyRouter.route(user, 0.1) == Arm.CHALLENGER) {
                assertEquals(Arm.CHALLENGER, arm, "lowering the share only moves challenger users back");
            }
        }
        double share = challenger / (double) n;
        assertTrue(Math.abs(share - 0.3) < 0.015, "challenger share " + share);
        assertEquals(Arm.CHAMPION, StickyRouter.route("anyone", 0.0));
        assertEquals(Arm.CHALLENGER, StickyRouter.route("anyone", 1.0));
    }
}
