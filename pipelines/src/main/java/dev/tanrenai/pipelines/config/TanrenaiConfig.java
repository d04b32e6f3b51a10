package dev.tanrenai.pipelines.config;

import dev.tanrenai.datasets.home.TanrenaiHome;

/**
 * The validated configuration of one {@code pipeline} invocation.
 *
 * <p>Built by {@link ConfigLoader} from, in increasing precedence: built-in defaults, the YAML
 * file ({@code <home>/config.yaml} or {@code --config}), {@code TANRENAI_*} environment variables,
 * and command-line flags.
 *
 * @param home the Tanrenai home directory
 * @param storeUrl JDBC URL of the conversation store ({@code store.url})
 * @param runtimeThreads threads for llama.cpp inference ({@code runtime.threads})
 * @param runtimeContextLength context window for inference, in tokens ({@code runtime.contextLength})
 * @param importMaxLineBytes longest accepted import line, in bytes ({@code import.maxLineBytes})
 * @param importMaxMessageChars longest accepted message, in characters ({@code import.maxMessageChars})
 * @param nightly the nightly loop's settings ({@code nightly.*})
 */
public record TanrenaiConfig(
        TanrenaiHome home,
        String storeUrl,
        int runtimeThreads,
        int runtimeContextLength,
        long importMaxLineBytes,
        int importMaxMessageChars,
        NightlyConfig nightly) {

    public TanrenaiConfig {
        if (home == null) {
            throw new ConfigException("home: must be set");
        }
        if (storeUrl == null || !storeUrl.startsWith("jdbc:")) {
            throw new ConfigException(
                    "store.url: must be a JDBC URL such as jdbc:sqlite:/path/store.db, got '" + storeUrl + "'");
        }
        requireRange("runtime.threads", runtimeThreads, 1, 512);
        requireRange("runtime.contextLength", runtimeContextLength, 16, 1 << 20);
        requireRange("import.maxLineBytes", importMaxLineBytes, 1024, 1L << 31);
        requireRange("import.maxMessageChars", importMaxMessageChars, 16, 1 << 30);
        if (nightly == null) {
            throw new ConfigException("nightly: must be set");
        }
    }

    private static void requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(field + ": must be between " + min + " and " + max + ", got " + value);
        }
    }
}
