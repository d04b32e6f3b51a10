package dev.tanrenai.evaluate.gate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tanrenai.datasets.provenance.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a promotion policy file: nested YAML mappings whose dotted paths are {@link PolicySetting}
 * keys, plus {@code version: 1}. Settings left out keep their defaults. An unknown key, a value of the
 * wrong type or malformed YAML is a {@link PolicyException} naming the file, the line and the key.
 *
 * <pre>
 * version: 1
 * heldout:
 *   min_improvement: 0.01
 * retention:
 *   max_bits_per_byte_increase: 0.02
 * </pre>
 */
public final class PolicyYaml {

    public static final int VERSION = 1;
    private static final YAMLFactory YAML = new YAMLFactory();

    private PolicyYaml() {}

    public static Policy read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PolicyException("policy file " + file + " does not exist");
        } catch (IOException e) {
            throw new PolicyException("cannot read policy file " + file + ": " + e.getMessage(), e);
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), file.toString(), Sha256.ofBytes(bytes));
    }

    /** Parses {@code yaml} read from {@code sourceName}. */
    public static Policy parse(String yaml, String sourceName, String sha256) {
        EnumMap<PolicySetting, Object> values = new EnumMap<>(PolicySetting.class);
        for (PolicySetting s : PolicySetting.values()) {
            values.put(s, s.defaultValue());
        }
        boolean versioned = false;
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new PolicyException(sourceName + ": the policy file is empty (write at least 'version: 1')");
            }
            if (first != JsonToken.START_OBJECT) {
                throw error(sourceName, p, "", "the policy must be a mapping of settings");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int line = p.currentTokenLocation().getLineNr();
                p.nextToken();
                if (name.equals("version")) {
                    if (!p.currentToken().isNumeric() || p.getIntValue() != VERSION) {
                        throw error(sourceName, p, "version", "supported policy version is " + VERSION);
                    }
                    versioned = true;
                } else {
                    readValue(p, name, line, sourceName, values);
                }
            }
        } catch (JsonProcessingException e) {
            throw new PolicyException(
                    sourceName + ": line " + e.getLocation().getLineNr() + ": malformed YAML: "
                            + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new PolicyException(sourceName + ": " + e.getMessage(), e);
        }
        if (!versioned) {
            throw new PolicyException(sourceName + ": missing 'version: " + VERSION + "'");
        }
        return new Policy(values, sourceName, sha256);
    }

    private static void readValue(
            JsonParser p, String key, int keyLine, String source, Map<PolicySetting, Object> values)
            throws IOException {
        PolicySetting setting = PolicySetting.ofKey(key);
        if (setting == null && p.currentToken() == JsonToken.START_OBJECT) {
            boolean prefix = false;
            for (PolicySetting s : PolicySetting.values()) {
                prefix |= s.key().startsWith(key + ".");
            }
            if (!prefix) {
                throw new PolicyException(source + ": line " + keyLine + ": " + key
                        + ": unknown section; known settings: " + knownKeys());
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int line = p.currentTokenLocation().getLineNr();
                p.nextToken();
                readValue(p, key + "." + name, line, source, values);
            }
            return;
        }
        if (setting == null) {
            throw new PolicyException(
                    source + ": line " + keyLine + ": " + key + ": unknown setting; known settings: " + knownKeys());
        }
        values.put(setting, convert(p, setting, source));
    }

    private static Object convert(JsonParser p, PolicySetting s, String source) throws IOException {
        JsonToken t = p.currentToken();
        switch (s.type()) {
            case DOUBLE -> {
                if (!t.isNumeric()) {
                    throw error(source, p, s.key(), "expected a number, got " + describe(p));
                }
                return p.getDoubleValue();
            }
            case INT -> {
                if (t != JsonToken.VALUE_NUMBER_INT) {
                    throw error(source, p, s.key(), "expected an integer, got " + describe(p));
                }
                return p.getIntValue();
            }
            case LONG -> {
                if (t != JsonToken.VALUE_NUMBER_INT) {
                    throw error(source, p, s.key(), "expected an integer, got " + describe(p));
                }
                return p.getLongValue();
            }
            case BOOLEAN -> {
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw error(source, p, s.key(), "expected true or false, got " + describe(p));
                }
                return t == JsonToken.VALUE_TRUE;
            }
            case STRING_LIST -> {
                if (t != JsonToken.START_ARRAY) {
                    throw error(source, p, s.key(), "expected a list of names, got " + describe(p));
                }
                List<String> names = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw error(source, p, s.key(), "expected a name, got " + describe(p));
                    }
                    names.add(p.getText());
                }
                return List.copyOf(names);
            }
        }
        throw new IllegalStateException("unhandled type " + s.type());
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_NULL -> "nothing";
            default -> "'" + p.getText() + "'";
        };
    }

    private static PolicyException error(String source, JsonParser p, String key, String message) {
        return new PolicyException(source + ": line " + p.currentTokenLocation().getLineNr() + ": "
                + (key.isEmpty() ? "" : key + ": ") + message);
    }

    private static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        for (PolicySetting s : PolicySetting.values()) {
            keys.add(s.key());
        }
        return keys;
    }

    /** One line per setting, {@code key=value}, in declaration order: what the defaults' hash covers. */
    static String canonical(Map<PolicySetting, Object> values) {
        StringBuilder out = new StringBuilder("version=" + VERSION + "\n");
        values.forEach((k, v) -> out.append(k.key()).append('=').append(v).append('\n'));
        return out.toString();
    }

    /** The default policy as a YAML file with every setting's reason as a comment. */
    public static String documented() {
        StringBuilder out = new StringBuilder(
                "# Tanrenai promotion policy (defaults). Every setting is optional; left out, it keeps this value.\n");
        out.append("version: ").append(VERSION).append("\n");
        String section = "";
        for (PolicySetting s : PolicySetting.values()) {
            int dot = s.key().indexOf('.');
            String sec = dot < 0 ? "" : s.key().substring(0, dot);
            String name = dot < 0 ? s.key() : s.key().substring(dot + 1);
            if (!sec.equals(section)) {
                if (!sec.isEmpty()) {
                    out.append(sec).append(":\n");
                }
                section = sec;
            }
            String indent = sec.isEmpty() ? "" : "  ";
            for (String line : wrap(s.doc(), 96)) {
                out.append(indent).append("# ").append(line).append('\n');
            }
            Object v = s.defaultValue();
            String text = v instanceof List<?> list
                    ? "[" + String.join(", ", list.stream().map(String::valueOf).toList()) + "]"
                    : String.valueOf(v);
            out.append(indent).append(name).append(": ").append(text).append('\n');
        }
        return out.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > width && !line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }
}
