package dev.tanrenai.schedules;

/** A schedule operation failed: bad input (name, cron, zone) or the job store refused; the message says what and where. */
public class ScheduleException extends RuntimeException {
    public ScheduleException(String message) {
        super(message);
    }

    public ScheduleException(String message, Throwable cause) {
        super(message, cause);
    }
}
