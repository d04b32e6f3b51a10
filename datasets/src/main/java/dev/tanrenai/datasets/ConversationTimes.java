package dev.tanrenai.datasets;

import java.time.Instant;

/**
 * The times a conversation may carry: from {@link #EARLIEST} (the Unix epoch, also the time given to
 * imported records without one) up to, not including, {@link #LATEST} (2100-01-01). Everything a
 * chat log can hold lies in between; a time outside is a unit mistake (epoch milliseconds,
 * microseconds or nanoseconds read as seconds) or garbage, and past about year 294,000 it no longer
 * fits the datasets' microsecond timestamps at all. Imports reject such records; the stages that
 * read the store quarantine any that got in before, so one record never breaks every later run.
 */
public final class ConversationTimes {

    /** The earliest accepted time, inclusive: 1970-01-01T00:00:00Z. */
    public static final Instant EARLIEST = Instant.EPOCH;

    /** The first time no longer accepted: 2100-01-01T00:00:00Z. */
    public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    private ConversationTimes() {}

    /** Whether {@code t} lies in [{@link #EARLIEST}, {@link #LATEST}). */
    public static boolean plausible(Instant t) {
        return !t.isBefore(EARLIEST) && t.isBefore(LATEST);
    }

    /** Why {@code t} is refused, naming the value and the range; null when it is plausible. */
    public static String problem(Instant t) {
        return plausible(t)
                ? null
                : t + " is outside the accepted range " + EARLIEST + " .. " + LATEST + " (exclusive)";
    }

    /** The first problem of the conversation's two times, naming the field; null when both are plausible. */
    public static String problem(Conversation c) {
        String created = problem(c.createdAt());
        if (created != null) {
            return "created_at " + created;
        }
        String updated = problem(c.updatedAt());
        return updated == null ? null : "updated_at " + updated;
    }

    /**
     * Why {@code seconds}, read as epoch seconds, is refused — with a hint when it reads as a
     * plausible time in milliseconds, microseconds or nanoseconds; null when it is plausible.
     */
    public static String epochSecondsProblem(double seconds) {
        if (seconds >= EARLIEST.getEpochSecond() && seconds < LATEST.getEpochSecond()) {
            return null;
        }
        StringBuilder sb = new StringBuilder(number(seconds))
                .append(" is not epoch seconds in the accepted range ")
                .append(EARLIEST)
                .append(" .. ")
                .append(LATEST)
                .append(" (exclusive)");
        String[] units = {"milliseconds", "microseconds", "nanoseconds"};
        double scale = 1;
        for (String unit : units) {
            scale *= 1000;
            double s = seconds / scale;
            if (s >= EARLIEST.getEpochSecond() && s < LATEST.getEpochSecond()) {
                sb.append("; as epoch ")
                        .append(unit)
                        .append(" it would be ")
                        .append(Instant.ofEpochSecond((long) s))
                        .append(": convert it to seconds or an ISO-8601 string");
                break;
            }
        }
        return sb.toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e18 ? Long.toString((long) v) : Double.toString(v);
    }
}
