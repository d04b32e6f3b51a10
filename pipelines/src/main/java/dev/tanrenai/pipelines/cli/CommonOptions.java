package dev.tanrenai.pipelines.cli;

import dev.tanrenai.pipelines.config.ConfigLoader;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every command takes: where the home and store are, and how to print results. */
public final class CommonOptions {

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description = "Tanrenai home directory (default: $TANRENAI_HOME, else ~/.tanrenai).")
    Path home;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML configuration file (default: <home>/config.yaml when it exists).")
    Path configFile;

    @Option(
            names = "--store-url",
            paramLabel = "JDBC_URL",
            description = "Conversation store JDBC URL (default: jdbc:sqlite:<home>/store.db).")
    String storeUrl;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Threads for llama.cpp inference (default: all cores).")
    Integer threads;

    @Option(names = "--json", description = "Print the result as JSON on standard output.")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private TanrenaiConfig loaded;

    /** Where the command prints its result. */
    public Output output() {
        return Output.of(mixee, json);
    }

    /** The validated configuration (defaults < file < environment < flags), loaded once. */
    public TanrenaiConfig config() {
        if (loaded == null) {
            Map<String, String> flags = new HashMap<>();
            flags.put("store.url", storeUrl);
            flags.put("runtime.threads", threads == null ? null : threads.toString());
            loaded = new ConfigLoader().load(home, configFile, System.getenv(), flags);
        }
        return loaded;
    }

    public boolean json() {
        return json;
    }

    /** The {@code --home} flag as given, or null. */
    public Path homeFlag() {
        return home;
    }

    /** Sets the home programmatically (used by composite commands such as {@code demo}). */
    public void home(Path dir) {
        this.home = dir;
        this.loaded = null;
    }
}
