package dev.tanrenai.schedules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line a fire starts as a child process. {@value #HOME} in an argument is replaced by the
 * home directory and {@value #SCHEDULE} by the schedule's name.
 *
 * <p>The default, {@link #nightly}, is {@code java <flags> -cp <this classpath> <main> run nightly
 * --trigger schedule --home <home> --json}: the same Java and classpath as the scheduler, so a
 * scheduler started by the {@code pipeline} launcher fires the same build.
 */
public record FireCommand(List<String> argv) {

    public static final String HOME = "{home}";
    public static final String SCHEDULE = "{schedule}";

    /** The CLI's main class; named, not referenced, because stage modules do not depend on {@code pipelines}. */
    public static final String PIPELINE_MAIN = "dev.tanrenai.pipelines.PipelineCli";

    public FireCommand {
        if (argv == null || argv.isEmpty() || argv.get(0).isBlank()) {
            throw new ScheduleException("the fire command needs at least a program, got " + argv);
        }
        argv = List.copyOf(argv);
    }

    /** The nightly run through this JVM's java binary and classpath, with the flags the launcher passes. */
    public static FireCommand nightly() {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        argv.add("-XX:+UseParallelGC");
        // an out-of-memory run ends (exit 3, recorded) instead of lingering half-dead
        argv.add("-XX:+ExitOnOutOfMemoryError");
        for (String property : List.of(
                "java.io.tmpdir",
                "ai.djl.offline",
                "ai.djl.pytorch.num_threads",
                "ai.djl.pytorch.num_interop_threads",
                "org.slf4j.simpleLogger.defaultLogLevel")) {
            String value = System.getProperty(property);
            if (value != null) {
                argv.add("-D" + property + "=" + value);
            }
        }
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(PIPELINE_MAIN);
        argv.addAll(List.of("run", "nightly", "--trigger", "schedule", "--home", HOME, "--json"));
        return new FireCommand(argv);
    }

    /** The arguments with the placeholders filled in. */
    public List<String> resolve(Path home, String schedule) {
        return argv.stream()
                .map(a -> a.replace(HOME, home.toString()).replace(SCHEDULE, schedule))
                .toList();
    }
}
