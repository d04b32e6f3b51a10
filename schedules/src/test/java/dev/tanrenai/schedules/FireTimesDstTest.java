package dev.tanrenai.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cron times are wall-clock times in the schedule's zone, across DST changes. Expected instants are
 * written out by hand (Europe/Berlin: CET = UTC+1, CEST = UTC+2; in 2026 summer time starts on
 * 29 March at 02:00 -> 03:00 and ends on 25 October at 03:00 -> 02:00).
 */
class FireTimesDstTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static List<Instant> fires(String cron, ZoneId zone, String after, int n) {
        return FireTimes.after(new ScheduleSpec("dst", cron, zone, MisfirePolicy.SKIP), Instant.parse(after), n);
    }

    @Test
    void threeAmBerlinStaysAtThreeLocalAcrossSpringForward() {
        assertEquals(
                List.of(
                        Instant.parse("2026-03-28T02:00:00Z"), // 03:00 CET
                        Instant.parse("2026-03-29T01:00:00Z"), // 03:00 CEST, the first summer-time night
                        Instant.parse("2026-03-30T01:00:00Z")),
                fires("0 0 3 * * ?", BERLIN, "2026-03-27T12:00:00Z", 3));
    }

    @Test
    void threeAmBerlinStaysAtThreeLocalAcrossFallBack() {
        assertEquals(
                List.of(
                        Instant.parse("2026-10-24T01:00:00Z"), // 03:00 CEST
                        Instant.parse("2026-10-25T02:00:00Z"), // 03:00 CET, after the clocks went back
                        Instant.parse("2026-10-26T02:00:00Z")),
                fires("0 0 3 * * ?", BERLIN, "2026-10-23T12:00:00Z", 3));
    }

    @Test
    void aTimeThatDoesNotExistOnSpringForwardNightIsNotFiredThatNight() {
        // 02:30 does not exist in Berlin on 29 March 2026 (02:00 jumps to 03:00): Quartz fires no run
        // that night (README, "Schedules": keep nightly crons out of 02:00-03:00 in DST zones).
        assertEquals(
                List.of(
                        Instant.parse("2026-03-28T01:30:00Z"), // 02:30 CET
                        Instant.parse("2026-03-30T00:30:00Z"), // 02:30 CEST; 29 March has none
                        Instant.parse("2026-03-31T00:30:00Z")),
                fires("0 30 2 * * ?", BERLIN, "2026-03-27T12:00:00Z", 3));
    }

    @Test
    void aTimeThatOccursTwiceOnFallBackNightFiresOnceAtTheSecond() {
        // 02:30 occurs twice in Berlin on 25 October 2026 (CEST, then CET): Quartz fires once, at the
        // second (02:30 CET).
        assertEquals(
                List.of(
                        Instant.parse("2026-10-24T00:30:00Z"), // 02:30 CEST
                        Instant.parse("2026-10-25T01:30:00Z"), // 02:30 CET, the second of the two
                        Instant.parse("2026-10-26T01:30:00Z")), // 02:30 CET
                fires("0 30 2 * * ?", BERLIN, "2026-10-23T12:00:00Z", 3));
    }

    @Test
    void utcIsUnaffected() {
        assertEquals(
                List.of(Instant.parse("2026-03-29T03:00:00Z"), Instant.parse("2026-03-30T03:00:00Z")),
                fires("0 0 3 * * ?", ZoneId.of("UTC"), "2026-03-28T12:00:00Z", 2));
    }
}
