package dev.tanrenai.schedules;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * One schedule: a name, a Quartz cron expression read in a time zone, and a misfire policy.
 *
 * @param name letters, digits, '.', '_' and '-', 1 to 64 characters
 * @param cron a Quartz cron expression (seconds first: {@code 0 0 3 * * ?} is 03:00 every day)
 * @param zone the zone the cron's wall-clock times are read in
 * @param misfire what to do with fires missed during downtime
 */
public record ScheduleSpec(String name, String cron, ZoneId zone, MisfirePolicy misfire) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ScheduleSpec {
        requireName(name);
        if (cron == null) {
            throw new ScheduleException("schedule " + name + ": a cron expression is required");
        }
        try {
            CronExpression.validateExpression(cron);
        } catch (ParseException e) {
            throw new ScheduleException(
                    "schedule " + name + ": invalid cron expression '" + cron + "' (Quartz syntax: seconds minutes"
                            + " hours day-of-month month day-of-week [year], e.g. '0 0 3 * * ?'): "
                            + e.getMessage(),
                    e);
        }
        if (zone == null) {
            throw new ScheduleException("schedule " + name + ": a time zone is required");
        }
        if (misfire == null) {
            throw new ScheduleException("schedule " + name + ": a misfire policy is required");
        }
    }

    /** Returns {@code name} if it is a valid schedule name, else throws saying why. */
    public static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ScheduleException(
                    "schedule name must be 1-64 letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        return name;
    }

    /** Parses a zone id strictly ({@code TimeZone.getTimeZone} would silently give GMT for a typo). */
    public static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new ScheduleException(
                    "unknown time zone '" + id + "' (use a region id such as Europe/Berlin, or UTC)", e);
        }
    }
}
