package dev.tanrenai.schedules;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Opens job store connections. An H2 file opened by two processes at the same moment makes one of
 * them fail with "Lock file recently modified" (error 8000) or "Database may be already in use"
 * (90020) while the other becomes the auto-server; a retry then connects through that server. Seen
 * when {@code pipeline schedule add} ran just as {@code pipeline scheduler} started.
 */
final class Connections {
    private Connections() {}

    /** How long opening an H2 job store keeps retrying those two errors. */
    static final long H2_OPEN_RETRY_MILLIS = 20_000;

    static Connection open(String url) throws SQLException {
        if (!url.startsWith("jdbc:h2:")) {
            return DriverManager.getConnection(url);
        }
        long deadline = System.currentTimeMillis() + H2_OPEN_RETRY_MILLIS;
        long pause = 100;
        while (true) {
            try {
                return DriverManager.getConnection(url);
            } catch (SQLException e) {
                boolean race = e.getErrorCode() == 8000 || e.getErrorCode() == 90020;
                if (!race || System.currentTimeMillis() + pause > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(interrupted);
                    throw e;
                }
                pause = Math.min(pause * 2, 1000);
            }
        }
    }

    /**
     * True when {@code t} (or a cause) is H2 losing or not yet having the auto-server: the process
     * serving the file exited mid-operation (90067 session closed, 90121 database closed) or two
     * processes opened it at once (8000, 90020). The operation did not commit; a new connection
     * reaches the next server.
     */
    static boolean isH2Handover(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException e) {
                int code = e.getErrorCode();
                if (code == 90067 || code == 90121 || code == 8000 || code == 90020) {
                    return true;
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** Work against the job store that a new connection can redo. */
    interface Retryable<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code work}, redoing it (up to 5 times) after an {@link #isH2Handover} failure. */
    static <T, E extends Exception> T retryHandover(Retryable<T, E> work) throws E {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.run();
            } catch (Exception e) {
                if (attempt >= 5 || !isH2Handover(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(interrupted);
                    throw e;
                }
            }
        }
    }
}
