package dev.tanrenai.pipelines.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar on standard error for long work (imports, downloads, training).
 *
 * <p>On a terminal it redraws one line in place; otherwise (CI logs, pipes) it prints a plain line
 * at most every 10% so logs stay readable. It never writes to standard output, which belongs to
 * the command's result (and to {@code --json}).
 */
public final class ProgressBar implements AutoCloseable {

    private static final int WIDTH = 30;

    private final String label;
    private long total;
    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier clock;
    private final long startNanos;
    private long lastDrawNanos;
    private int lastDecile = -1;
    private boolean finished;
    private String detail = "";

    public ProgressBar(String label, long total, PrintStream out, boolean interactive, LongSupplier nanoClock) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.interactive = interactive;
        this.clock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastDrawNanos = startNanos - 1_000_000_000L;
    }

    /** A bar on {@code System.err}, interactive when a console is attached. */
    public static ProgressBar onStderr(String label, long total) {
        return new ProgressBar(label, total, System.err, System.console() != null, System::nanoTime);
    }

    /** Reports that {@code done} of {@code total} units are complete. */
    public void update(long done) {
        long now = clock.getAsLong();
        if (interactive) {
            if (now - lastDrawNanos >= 100_000_000L || done >= total) {
                lastDrawNanos = now;
                out.print("\r" + render(done, now));
                out.flush();
            }
        } else if (total > 0) {
            int decile = (int) Math.min(10, done * 10 / total);
            if (decile > lastDecile) {
                lastDecile = decile;
                out.println(render(done, now));
            }
        }
    }

    /** Reports progress with a detail shown after the bar, e.g. {@code loss 1.234 · 850 tok/s}. */
    public void update(long done, String newDetail) {
        detail = newDetail == null ? "" : newDetail;
        update(done);
    }

    /** Reports progress when the total is learnt on the way (a download's size); a negative total is unknown. */
    public void update(long done, long newTotal) {
        if (newTotal > 0) {
            total = newTotal;
        }
        update(done);
    }

    /** The line for {@code done} units at time {@code now}; visible for tests. */
    String render(long done, long now) {
        double fraction = total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = (now - startNanos) / 1e9;
        String eta = fraction > 0 && fraction < 1 ? formatSeconds(seconds / fraction - seconds) : "--";
        return String.format(
                Locale.ROOT,
                "%s [%s%s] %3.0f%% %s/%s elapsed %s eta %s%s",
                label,
                "#".repeat(filled),
                " ".repeat(WIDTH - filled),
                fraction * 100,
                human(done),
                human(total),
                formatSeconds(seconds),
                eta,
                detail.isEmpty() ? "" : " · " + detail);
    }

    private static String formatSeconds(double s) {
        long total = Math.round(s);
        return total >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
                : String.format(Locale.ROOT, "%d:%02d", total / 60, total % 60);
    }

    private static String human(long n) {
        if (n >= 10L << 20) {
            return String.format(Locale.ROOT, "%.1fM", n / 1048576.0);
        }
        if (n >= 10L << 10) {
            return String.format(Locale.ROOT, "%.1fk", n / 1024.0);
        }
        return Long.toString(n);
    }

    @Override
    public void close() {
        if (!finished) {
            finished = true;
            if (interactive) {
                out.println();
            }
        }
    }
}
