package dev.tanrenai.schedules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.TriggerBuilder;

/** Fire times of a schedule, computed by Quartz's own cron trigger (the one that fires it). */
public final class FireTimes {
    private FireTimes() {}

    /** A Quartz cron trigger schedule for {@code spec}: its cron, read in its zone, with its misfire policy. */
    static CronScheduleBuilder schedule(ScheduleSpec spec) {
        CronScheduleBuilder b =
                CronScheduleBuilder.cronSchedule(spec.cron()).inTimeZone(TimeZone.getTimeZone(spec.zone()));
        return switch (spec.misfire()) {
            case SKIP -> b.withMisfireHandlingInstructionDoNothing();
            case RUN_ONCE -> b.withMisfireHandlingInstructionFireAndProceed();
        };
    }

    /** The first {@code count} fire times of {@code spec} strictly after {@code after}. */
    public static List<Instant> after(ScheduleSpec spec, Instant after, int count) {
        CronTrigger trigger = TriggerBuilder.newTrigger()
                .withSchedule(schedule(spec))
                .startAt(Date.from(after))
                .build();
        return following(trigger, after, count);
    }

    /** The first {@code count} fire times of {@code trigger} strictly after {@code after}. */
    static List<Instant> following(CronTrigger trigger, Instant after, int count) {
        List<Instant> times = new ArrayList<>();
        Date t = Date.from(after);
        while (times.size() < count) {
            t = trigger.getFireTimeAfter(t);
            if (t == null) {
                break;
            }
            times.add(t.toInstant());
        }
        return times;
    }
}
