package dev.tanrenai.schedules;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.quartz.CronTrigger;

/**
 * What a schedule does with fires missed while no scheduler ran (or while the previous fire still
 * ran) for longer than the misfire threshold ({@link SchedulerSettings#misfireThreshold}). A fire
 * less late than the threshold is not a misfire: it runs at once.
 */
public enum MisfirePolicy {
    /** Missed fires are recorded as skipped in the history; the next fire is the next regular one. */
    SKIP("skip", CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING),
    /** The missed fires are recorded; one run starts at once, then the regular fires follow. */
    RUN_ONCE("run-once", CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW);

    private final String wireName;
    private final int quartzInstruction;

    MisfirePolicy(String wireName, int quartzInstruction) {
        this.wireName = wireName;
        this.quartzInstruction = quartzInstruction;
    }

    public String wireName() {
        return wireName;
    }

    int quartzInstruction() {
        return quartzInstruction;
    }

    public static MisfirePolicy parse(String text) {
        for (MisfirePolicy p : values()) {
            if (p.wireName.equals(text)) {
                return p;
            }
        }
        throw new ScheduleException("misfire policy must be one of "
                + Arrays.stream(values()).map(MisfirePolicy::wireName).collect(Collectors.joining(", ")) + ", got '"
                + text + "'");
    }

    static MisfirePolicy ofQuartz(int instruction) {
        for (MisfirePolicy p : values()) {
            if (p.quartzInstruction == instruction) {
                return p;
            }
        }
        throw new ScheduleException("a stored trigger has misfire instruction " + instruction
                + ", which no Tanrenai misfire policy uses (skip = " + SKIP.quartzInstruction + ", run-once = "
                + RUN_ONCE.quartzInstruction + ")");
    }
}
