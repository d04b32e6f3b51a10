package dev.tanrenai.pipelines.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tanrenai.datasets.home.TanrenaiHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Loads a {@link TanrenaiConfig} from defaults, a YAML file, the environment and flags.
 *
 * <p>Every key has a dotted name ({@code store.url}); its environment variable is {@code TANRENAI_}
 * followed by the name in upper snake case ({@code TANRENAI_STORE_URL},
 * {@code TANRENAI_RUNTIME_CONTEXT_LENGTH}). Unknown keys in the file are errors (a typo must not
 * be silently ignored); every error names the key and where its value came from.
 */
public final class ConfigLoader {

    /** The keys with their defaults; {@code store.url} defaults to the SQLite file in the home. */
    private static final Map<String, String> DEFAULTS = defaults();

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("store.url", "");
        d.put(
                "runtime.threads",
                Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors())));
        d.put("runtime.contextLength", "2048");
        d.put("import.maxLineBytes", Long.toString(16L << 20));
        d.put("import.maxMessageChars", Integer.toString(1 << 20));
        d.put("nightly.minConversations", "1");
        d.put("nightly.base", "");
        d.put("nightly.continueChampion", "true");
        d.put("nightly.promotion", NightlyConfig.DIRECT);
        d.put("nightly.abShare", "0.1");
        d.put("nightly.policy", "");
        d.put("nightly.maxRefusals", "2");
        d.put("nightly.train.steps", "40");
        d.put("nightly.train.learningRate", "0.001");
        d.put("nightly.train.rank", "8");
        d.put("nightly.train.maxLength", "256");
        d.put("nightly.train.seed", "42");
        d.put("nightly.curate.heldout", "0.1");
        d.put("nightly.curate.dedupeThreshold", "0.8");
        d.put("nightly.generalDocuments", "200");
        d.put("nightly.stageTimeoutMinutes", "240");
        d.put("nightly.retries", "0");
        d.put("nightly.retryDelaySeconds", "30");
        d.put("nightly.webhook", "");
        return d;
    }

    /**
     * @param homeFlag {@code --home}, or null
     * @param configFlag {@code --config}, or null (then {@code <home>/config.yaml} if it exists)
     * @param env the environment
     * @param flags values given on the command line, by dotted key (null values are ignored)
     */
    public TanrenaiConfig load(Path homeFlag, Path configFlag, Map<String, String> env, Map<String, String> flags) {
        TanrenaiHome home = TanrenaiHome.resolve(homeFlag, env);
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> origin = new LinkedHashMap<>();
        DEFAULTS.keySet().forEach(k -> origin.put(k, "default"));

        Path file = configFlag != null ? configFlag : home.configFile();
        if (configFlag != null && !Files.isRegularFile(configFlag)) {
            throw new ConfigException("--config: no such file " + configFlag);
        }
        if (Files.isRegularFile(file)) {
            readFile(file, values, origin);
        }
        for (String key : DEFAULTS.keySet()) {
            String value = env.get(envName(key));
            if (value != null && !value.isBlank()) {
                values.put(key, value.trim());
                origin.put(key, "environment variable " + envName(key));
            }
        }
        flags.forEach((key, value) -> {
            if (value != null) {
                if (!DEFAULTS.containsKey(key)) {
                    throw new IllegalArgumentException("no configuration key " + key);
                }
                values.put(key, value);
                origin.put(key, "command-line flag");
            }
        });
        String storeUrl = values.get("store.url").isBlank() ? home.defaultJdbcUrl() : values.get("store.url");
        try {
            return new TanrenaiConfig(
                    home,
                    storeUrl,
                    parseInt(values, origin, "runtime.threads"),
                    parseInt(values, origin, "runtime.contextLength"),
                    parseLong(values, origin, "import.maxLineBytes"),
                    parseInt(values, origin, "import.maxMessageChars"),
                    nightly(values, origin));
        } catch (ConfigException e) {
            String key = e.getMessage().substring(0, Math.max(0, e.getMessage().indexOf(':')));
            String from = origin.getOrDefault(key, null);
            throw new ConfigException(e.getMessage() + (from == null ? "" : " (from " + from + ")"), e);
        }
    }

    private static NightlyConfig nightly(Map<String, String> values, Map<String, String> origin) {
        return new NightlyConfig(
                parseInt(values, origin, "nightly.minConversations"),
                values.get("nightly.base").trim(),
                parseBoolean(values, origin, "nightly.continueChampion"),
                values.get("nightly.promotion"),
                parseDouble(values, origin, "nightly.abShare"),
                values.get("nightly.policy").trim(),
                parseInt(values, origin, "nightly.maxRefusals"),
                parseInt(values, origin, "nightly.train.steps"),
                (float) parseDouble(values, origin, "nightly.train.learningRate"),
                parseInt(values, origin, "nightly.train.rank"),
                parseInt(values, origin, "nightly.train.maxLength"),
                parseLong(values, origin, "nightly.train.seed"),
                parseDouble(values, origin, "nightly.curate.heldout"),
                parseDouble(values, origin, "nightly.curate.dedupeThreshold"),
                parseInt(values, origin, "nightly.generalDocuments"),
                parseInt(values, origin, "nightly.stageTimeoutMinutes"),
                parseInt(values, origin, "nightly.retries"),
                parseInt(values, origin, "nightly.retryDelaySeconds"),
                values.get("nightly.webhook").trim());
    }

    private static boolean parseBoolean(Map<String, String> values, Map<String, String> origin, String key) {
        String raw = values.get(key).trim().toLowerCase(Locale.ROOT);
        if (!raw.equals("true") && !raw.equals("false")) {
            throw new ConfigException(
                    key + ": expected true or false, got '" + raw + "' (from " + origin.get(key) + ")");
        }
        return Boolean.parseBoolean(raw);
    }

    private static double parseDouble(Map<String, String> values, Map<String, String> origin, String key) {
        String raw = values.get(key);
        try {
            return Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": expected a number, got '" + raw + "' (from " + origin.get(key) + ")", e);
        }
    }

    /** {@code runtime.contextLength} -> {@code TANRENAI_RUNTIME_CONTEXT_LENGTH}. */
    public static String envName(String key) {
        String snake = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_');
        return "TANRENAI_" + snake.toUpperCase(Locale.ROOT);
    }

    private void readFile(Path file, Map<String, String> values, Map<String, String> origin) {
        JsonNode root;
        try {
            root = yaml.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return;
        }
        if (!root.isObject()) {
            throw new ConfigException(file + ": the top level must be a mapping of sections (store, runtime, import)");
        }
        flatten("", (ObjectNode) root, file, values, origin);
    }

    private void flatten(
            String prefix, ObjectNode node, Path file, Map<String, String> values, Map<String, String> origin) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key + ".", (ObjectNode) value, file, values, origin);
            } else if (!DEFAULTS.containsKey(key)) {
                throw new ConfigException(file + ": unknown key '" + key + "' (known keys: "
                        + String.join(", ", DEFAULTS.keySet()) + ")");
            } else if (!value.isValueNode() || value.isNull()) {
                throw new ConfigException(file + ": " + key + " must be a single value");
            } else {
                values.put(key, value.asText());
                origin.put(key, file.toString());
            }
        }
    }

    private static int parseInt(Map<String, String> values, Map<String, String> origin, String key) {
        long v = parseLong(values, origin, key);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new ConfigException(key + ": " + v + " is out of range (from " + origin.get(key) + ")");
        }
        return (int) v;
    }

    private static long parseLong(Map<String, String> values, Map<String, String> origin, String key) {
        String raw = values.get(key);
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    key + ": expected a whole number, got '" + raw + "' (from " + origin.get(key) + ")", e);
        }
    }
}
