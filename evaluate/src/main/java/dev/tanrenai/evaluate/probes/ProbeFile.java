package dev.tanrenai.evaluate.probes;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.evaluate.probes.YamlTree.Node;
import dev.tanrenai.evaluate.probes.YamlTree.Type;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * A probe file: the team's regression prompts, strictly parsed from YAML (see
 * {@code evaluate/probes.example.yaml}).
 *
 * <pre>
 * version: 1                       # required, the only version so far
 * defaults: {max_tokens: 64, ignore_case: false}   # optional
 * probes:
 *   - id: capital_fr               # unique, [a-z0-9_.-]+
 *     prompt: "Capital of France?" # or messages: [{role: system|user|assistant, content: ...}], last a user turn
 *     expect: {contains: Paris, ignore_case: true}   # exactly one of exact | contains | regex; a string or a list (any of)
 *     must_pass: true              # default false: a failure refuses promotion
 *     max_tokens: 16               # default: defaults.max_tokens, else 64
 *     description: the capital fact stays learned
 * </pre>
 *
 * Unknown fields, wrong types, repeated keys or ids, a missing or doubled choice and invalid regular
 * expressions are {@link ProbeFileException}s naming the file, the line and the field.
 *
 * @param source the file name, as errors and reports name it
 * @param version the file format version
 * @param sha256 SHA-256 of the file's bytes
 * @param probes the probes in file order
 */
public record ProbeFile(String source, int version, String sha256, List<Probe> probes) {

    /** The file format versions this code reads. */
    public static final int VERSION = 1;

    /** {@code max_tokens} when neither the probe nor {@code defaults} sets it. */
    public static final int DEFAULT_MAX_TOKENS = 64;

    private static final Set<String> TOP = Set.of("version", "defaults", "probes");
    private static final Set<String> DEFAULTS = Set.of("max_tokens", "ignore_case");
    private static final Set<String> PROBE =
            Set.of("id", "prompt", "messages", "expect", "must_pass", "max_tokens", "description");
    private static final Set<String> EXPECT = Set.of("exact", "contains", "regex", "ignore_case");
    private static final Set<String> MESSAGE = Set.of("role", "content");

    public ProbeFile {
        Objects.requireNonNull(source, "source");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(source + ": SHA-256 must be 64 hex digits, got " + sha256);
        }
        probes = List.copyOf(probes);
        if (probes.isEmpty()) {
            throw new IllegalArgumentException(source + ": a probe file needs at least one probe");
        }
    }

    /** Reads and parses {@code file} (UTF-8); the hash is over its bytes. */
    public static ProbeFile read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProbeFileException(file.toString(), 0, "(file)", "not UTF-8 text: " + e, e);
        }
        return parse(text, file.toString(), Sha256.ofBytes(bytes));
    }

    /** Parses {@code yaml}; {@code sourceName} names it in errors; the hash is over its UTF-8 bytes. */
    public static ProbeFile parse(String yaml, String sourceName) throws ProbeFileException {
        return parse(yaml, sourceName, Sha256.ofBytes(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static ProbeFile parse(String yaml, String source, String sha256) throws ProbeFileException {
        Node root = YamlTree.parse(yaml, source);
        Fields top = new Fields(source, root, "(file)", TOP);
        Node versionNode = top.required("version");
        int version = top.integer("version", versionNode);
        if (version != VERSION) {
            throw top.error(
                    versionNode,
                    "version",
                    "version " + version + " is not supported (this code reads " + VERSION + ")");
        }
        int maxTokens = DEFAULT_MAX_TOKENS;
        boolean ignoreCase = false;
        Node defaultsNode = top.optional("defaults");
        if (defaultsNode != null) {
            Fields defaults = new Fields(source, defaultsNode, "defaults", DEFAULTS);
            maxTokens = defaults.maxTokens(maxTokens);
            ignoreCase = defaults.bool("ignore_case", ignoreCase);
        }
        Node probesNode = top.required("probes");
        if (probesNode.type() != Type.LIST || probesNode.list().isEmpty()) {
            throw top.error(probesNode, "probes", "expected a non-empty list of probes, got " + probesNode.describe());
        }
        List<Probe> probes = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        for (int i = 0; i < probesNode.list().size(); i++) {
            Node entry = probesNode.list().get(i);
            Fields f = new Fields(source, entry, "probes[" + i + "]", PROBE);
            probes.add(probe(f, maxTokens, ignoreCase, idLines));
        }
        return new ProbeFile(source, version, sha256, probes);
    }

    private static Probe probe(Fields f, int defaultMaxTokens, boolean defaultIgnoreCase, Map<String, Integer> idLines)
            throws ProbeFileException {
        Node idNode = f.required("id");
        String id = f.string("id", idNode);
        if (!Probe.ID.matcher(id).matches()) {
            throw f.error(idNode, "id", "'" + id + "' must be lower-case letters, digits, _ . - only");
        }
        Integer first = idLines.putIfAbsent(id, idNode.line());
        if (first != null) {
            throw f.error(idNode, "id", "repeated probe id '" + id + "' (first at line " + first + ")");
        }
        List<Message> messages = f.messages();
        Node expectNode = f.required("expect");
        Fields e = new Fields(f.source, expectNode, f.path + ".expect", EXPECT);
        Probe.Expectation expect = expectation(e, defaultIgnoreCase);
        boolean mustPass = f.bool("must_pass", false);
        int maxTokens = f.maxTokens(defaultMaxTokens);
        Node descriptionNode = f.optional("description");
        String description = descriptionNode == null ? "" : f.string("description", descriptionNode);
        return new Probe(id, messages, expect, mustPass, maxTokens, description);
    }

    private static Probe.Expectation expectation(Fields e, boolean defaultIgnoreCase) throws ProbeFileException {
        Probe.Kind kind = null;
        for (Probe.Kind k : Probe.Kind.values()) {
            if (e.optional(k.field()) != null) {
                if (kind != null) {
                    throw e.error(
                            e.optional(k.field()),
                            k.field(),
                            "exactly one of exact, contains, regex; this one also has " + kind.field());
                }
                kind = k;
            }
        }
        if (kind == null) {
            throw e.error(e.node, "exact/contains/regex", "needs exactly one of exact, contains, regex");
        }
        boolean ignoreCase = e.bool("ignore_case", defaultIgnoreCase);
        Node valueNode = e.optional(kind.field());
        List<Node> values = valueNode.type() == Type.LIST ? valueNode.list() : List.of(valueNode);
        if (values.isEmpty()) {
            throw e.error(valueNode, kind.field(), "an empty list matches nothing: give at least one string");
        }
        List<String> anyOf = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Node v = values.get(i);
            String field = kind.field() + (valueNode.type() == Type.LIST ? "[" + i + "]" : "");
            String s = e.string(field, v);
            if (s.strip().isEmpty()) {
                throw e.error(v, field, "an empty string matches every output, so the probe could never fail");
            }
            if (kind == Probe.Kind.REGEX) {
                try {
                    Probe.Expectation.compile(s, ignoreCase);
                } catch (PatternSyntaxException x) {
                    throw e.error(v, field, "invalid regex: " + x.getDescription() + " at index " + x.getIndex(), x);
                }
            }
            anyOf.add(s);
        }
        return new Probe.Expectation(kind, anyOf, ignoreCase);
    }

    /** A mapping's fields, checked against the allowed names, with typed getters that name line and field. */
    private static final class Fields {
        final String source;
        final Node node;
        final String path;

        Fields(String source, Node node, String path, Set<String> allowed) throws ProbeFileException {
            this.source = source;
            this.node = node;
            this.path = path;
            if (node.type() != Type.MAP) {
                throw new ProbeFileException(source, node.line(), path, "expected a mapping, got " + node.describe());
            }
            for (Map.Entry<String, Integer> k : node.keyLines().entrySet()) {
                if (!allowed.contains(k.getKey())) {
                    String hint = k.getKey().equals("ignore_case") && allowed.contains("expect")
                            ? " (ignore_case belongs under expect, or under defaults for the whole file)"
                            : "";
                    throw new ProbeFileException(
                            source,
                            k.getValue(),
                            child(k.getKey()),
                            "unknown field '" + k.getKey() + "'" + hint + " (allowed: "
                                    + String.join(
                                            ", ", allowed.stream().sorted().toList()) + ")");
                }
            }
        }

        String child(String key) {
            return path.equals("(file)") ? key : path + "." + key;
        }

        ProbeFileException error(Node at, String key, String what) {
            return new ProbeFileException(source, at.line(), child(key), what);
        }

        ProbeFileException error(Node at, String key, String what, Throwable cause) {
            return new ProbeFileException(source, at.line(), child(key), what, cause);
        }

        Node optional(String key) {
            return node.map().get(key);
        }

        Node required(String key) throws ProbeFileException {
            Node v = node.map().get(key);
            if (v == null) {
                throw new ProbeFileException(source, node.line(), child(key), "required field is missing");
            }
            return v;
        }

        String string(String key, Node v) throws ProbeFileException {
            if (v.type() != Type.STRING) {
                throw error(v, key, "expected a string, got " + v.describe() + " (quote it: \"...\")");
            }
            return v.text();
        }

        int integer(String key, Node v) throws ProbeFileException {
            if (v.type() != Type.INT) {
                throw error(v, key, "expected a whole number, got " + v.describe());
            }
            try {
                return Integer.parseInt(v.text());
            } catch (NumberFormatException x) {
                throw error(v, key, "expected a whole number, got " + v.text(), x);
            }
        }

        boolean bool(String key, boolean fallback) throws ProbeFileException {
            Node v = optional(key);
            if (v == null) {
                return fallback;
            }
            if (v.type() != Type.BOOL) {
                throw error(v, key, "expected true or false, got " + v.describe());
            }
            return Boolean.parseBoolean(v.text());
        }

        int maxTokens(int fallback) throws ProbeFileException {
            Node v = optional("max_tokens");
            if (v == null) {
                return fallback;
            }
            int n = integer("max_tokens", v);
            if (n < 1 || n > Probe.MAX_TOKENS_LIMIT) {
                throw error(v, "max_tokens", "must be in 1.." + Probe.MAX_TOKENS_LIMIT + ", got " + n);
            }
            return n;
        }

        /** {@code prompt} (one user turn) or {@code messages}, exactly one of them. */
        List<Message> messages() throws ProbeFileException {
            Node prompt = optional("prompt");
            Node list = optional("messages");
            if ((prompt == null) == (list == null)) {
                throw prompt == null
                        ? error(node, "prompt/messages", "needs exactly one of prompt, messages")
                        : error(list, "messages", "exactly one of prompt, messages; this probe has both");
            }
            if (prompt != null) {
                String text = string("prompt", prompt);
                if (text.isBlank()) {
                    throw error(prompt, "prompt", "the prompt is empty");
                }
                return List.of(Message.user(text));
            }
            if (list.type() != Type.LIST || list.list().isEmpty()) {
                throw error(list, "messages", "expected a non-empty list of messages, got " + list.describe());
            }
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < list.list().size(); i++) {
                Fields m = new Fields(source, list.list().get(i), child("messages") + "[" + i + "]", MESSAGE);
                Node roleNode = m.required("role");
                String role = m.string("role", roleNode);
                if (!Set.of("system", "user", "assistant").contains(role)) {
                    throw m.error(roleNode, "role", "'" + role + "' is not one of system, user, assistant");
                }
                String content = m.string("content", m.required("content"));
                messages.add(new Message(Role.fromWireName(role), content, List.of(), null, null, null));
            }
            if (messages.get(messages.size() - 1).role() != Role.USER) {
                int lastIndex = list.list().size() - 1;
                throw error(
                        list.list().get(lastIndex),
                        "messages[" + lastIndex + "].role",
                        "the last message must be a user turn (the model answers it)");
            }
            return messages;
        }
    }
}
