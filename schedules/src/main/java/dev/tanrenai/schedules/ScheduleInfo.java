package dev.tanrenai.schedules;

import java.time.Instant;
import java.util.List;

/**
 * A schedule as {@code pipeline schedule list} shows it.
 *
 * @param spec name, cron, zone and misfire policy
 * @param state {@code active}, {@code paused}, {@code running} (a fire is in progress) or {@code error}
 * @param nextFires the next fire times (empty when the cron never fires again); while paused, the
 *     times it would fire at once resumed
 * @param lastFire the most recent history entry, or null
 */
public record ScheduleInfo(ScheduleSpec spec, String state, List<Instant> nextFires, FireRecord lastFire) {
    public ScheduleInfo {
        nextFires = List.copyOf(nextFires);
    }
}
