package dev.tanrenai.datasets.home;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Tanrenai home directory: the conversation store, registered models and adapters, dataset
 * snapshots and run records all live below it.
 *
 * <p>Resolved from, in order: an explicit path ({@code --home}), the {@code TANRENAI_HOME}
 * environment variable, then {@code ~/.tanrenai}.
 */
public record TanrenaiHome(Path root) {

    public static final String ENV_VAR = "TANRENAI_HOME";

    public TanrenaiHome {
        root = root.toAbsolutePath().normalize();
    }

    /** Resolves the home from an explicit path (may be null), the environment, or the user's home. */
    public static TanrenaiHome resolve(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return new TanrenaiHome(explicit);
        }
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new TanrenaiHome(Path.of(fromEnv));
        }
        return new TanrenaiHome(Path.of(System.getProperty("user.home"), ".tanrenai"));
    }

    /** Creates the directory layout if missing and returns this home. */
    public TanrenaiHome initialize() {
        for (Path dir : new Path[] {root, modelsDir(), adaptersDir(), datasetsDir(), runsDir(), nativeDir()}) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create Tanrenai home directory " + dir, e);
            }
        }
        return this;
    }

    /** The embedded conversation store: one SQLite database file. */
    public Path storeFile() {
        return root.resolve("store.db");
    }

    /** The JDBC URL of the embedded store. */
    public String defaultJdbcUrl() {
        return "jdbc:sqlite:" + storeFile();
    }

    public Path configFile() {
        return root.resolve("config.yaml");
    }

    public Path modelsDir() {
        return root.resolve("models");
    }

    public Path adaptersDir() {
        return root.resolve("adapters");
    }

    public Path datasetsDir() {
        return root.resolve("datasets");
    }

    public Path runsDir() {
        return root.resolve("runs");
    }

    /**
     * The Lucene index of every conversation already trained on, which curate deduplicates new
     * conversations against.
     */
    public Path dedupeHistoryDir() {
        return root.resolve("index").resolve("dedupe-history");
    }

    /**
     * Evaluations: one directory per evaluation ({@code <id>/report.html}, {@code report.json},
     * {@code summary.md}) and {@code cache/}, the per-item results of every model already scored.
     */
    public Path evaluationsDir() {
        return root.resolve("evaluations");
    }

    /**
     * Schedules: the embedded Quartz job store ({@code quartz.mv.db}, an H2 file) and one log file
     * per fire under {@code logs/<schedule>/}.
     */
    public Path schedulesDir() {
        return root.resolve("schedules");
    }

    /** Where native libraries (llama.cpp) are extracted; it must exist before they load. */
    public Path nativeDir() {
        return root.resolve("native");
    }
}
