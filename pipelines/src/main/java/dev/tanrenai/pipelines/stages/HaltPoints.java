package dev.tanrenai.pipelines.stages;

/**
 * Crash drills: when the environment variable {@value #ENV} names a point a run reaches, the process
 * halts there at once — no finally blocks, no shutdown hooks, like {@code kill -9} — with exit code
 * {@value #EXIT_CODE}. Tests use it to prove a rerun finishes the work a killed run started.
 */
public final class HaltPoints {

    public static final String ENV = "TANRENAI_HALT_AT";
    public static final int EXIT_CODE = 137;

    /** Extract wrote its snapshot but has not committed the watermark. */
    public static final String EXTRACT_WRITTEN = "extract-written";
    /** Extract committed its watermark; curate has not started. */
    public static final String EXTRACT_COMMITTED = "extract-committed";
    /** Curate wrote its snapshot but not its report. */
    public static final String CURATE_WRITTEN = "curate-written";

    private HaltPoints() {}

    /** Halts the process when {@value #ENV} is {@code point}; otherwise returns. */
    public static void reach(String point) {
        if (point.equals(System.getenv(ENV))) {
            System.out.flush();
            System.err.println("halted at " + point + " (" + ENV + ")");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }
}
