package dev.tanrenai.evaluate.tasks;

import dev.tanrenai.datasets.provenance.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a task file: a strict subset of lm-evaluation-harness task YAML (see the package comment for
 * the fields). Every unknown field, wrong type or unsupported value is a {@link TaskFileException}
 * naming the file, the line and the field.
 */
public final class TaskFile {

    /** Fields lm-eval has that do not change how a local file is scored; read and ignored. */
    private static final Set<String> INFORMATIONAL = Set.of(
            "tag",
            "task_alias",
            "dataset_name",
            "training_split",
            "validation_split",
            "test_split",
            "fewshot_split",
            "should_decontaminate",
            "doc_to_decontamination_query");

    private static final Set<String> FIELDS = Set.of(
            "task",
            "dataset_path",
            "dataset_format",
            "labels_path",
            "fewshot_path",
            "output_type",
            "doc_to_text",
            "doc_to_target",
            "doc_to_choice",
            "target_delimiter",
            "fewshot_delimiter",
            "num_fewshot",
            "limit",
            "generation_kwargs",
            "metric_list",
            "metadata",
            "description");

    private static final int DEFAULT_MAX_GEN_TOKENS = 256;

    private final String source;
    private final Path baseDir;
    private final Map<String, String> files = new LinkedHashMap<>();

    private TaskFile(String source, Path baseDir) {
        this.source = source;
        this.baseDir = baseDir;
    }

    /** Reads the task file {@code path}; data paths are relative to its folder. */
    public static TaskConfig read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        Path dir = path.toAbsolutePath().getParent();
        return parse(new String(bytes, StandardCharsets.UTF_8), path.toString(), dir);
    }

    /**
     * Parses task YAML.
     *
     * @param sourceName what messages call the file
     * @param baseDir the folder data paths are relative to
     */
    public static TaskConfig parse(String yaml, String sourceName, Path baseDir) throws IOException {
        TaskFile f = new TaskFile(sourceName, baseDir);
        f.files.put(sourceName, Sha256.ofBytes(yaml.getBytes(StandardCharsets.UTF_8)));
        return f.config(YamlTree.parse(yaml, sourceName));
    }

    private TaskConfig config(YamlTree.Node root) throws IOException {
        if (!(root.value() instanceof Map)) {
            throw new TaskFileException(source, root.line(), null, "a task file is a mapping, got " + root.typeName());
        }
        Map<String, YamlTree.Node> m = root.map();
        for (Map.Entry<String, YamlTree.Node> e : m.entrySet()) {
            if (!FIELDS.contains(e.getKey()) && !INFORMATIONAL.contains(e.getKey())) {
                throw new TaskFileException(
                        source,
                        e.getValue().line(),
                        e.getKey(),
                        "unknown field (supported: "
                                + new java.util.TreeSet<>(FIELDS) + "; read and ignored: "
                                + new java.util.TreeSet<>(INFORMATIONAL)
                                + ")");
            }
        }
        String name = requiredString(m, "task");
        String typeId = requiredString(m, "output_type");
        OutputType type = OutputType.byId(typeId);
        if (type == null) {
            throw new TaskFileException(
                    source,
                    m.get("output_type").line(),
                    "output_type",
                    "unsupported output type '" + typeId + "' (supported: " + OutputType.supported() + ")");
        }
        Template text = optionalTemplate(m, "doc_to_text");
        Template target = target(m);
        TaskConfig.Choices choices = choices(m);
        List<Map<String, Object>> docs = docs(m);
        List<Map<String, Object>> fewshot = docs;
        String fewshotPath = optionalString(m, "fewshot_path", null);
        if (fewshotPath != null) {
            fewshot = TaskData.jsonl(readData(fewshotPath, m.get("fewshot_path")), fewshotPath);
        }
        Map<String, YamlTree.Node> gen = optionalMap(m, "generation_kwargs");
        List<String> until = List.of(optionalString(m, "fewshot_delimiter", "\n\n"));
        int maxGen = DEFAULT_MAX_GEN_TOKENS;
        if (gen != null) {
            if (type != OutputType.GENERATE_UNTIL) {
                throw fail(m.get("generation_kwargs"), "generation_kwargs", "applies to generate_until only");
            }
            until = until(gen, until);
            maxGen = (int) optionalInt(gen, "max_gen_toks", "generation_kwargs.", DEFAULT_MAX_GEN_TOKENS);
        }
        Map<String, YamlTree.Node> meta = optionalMap(m, "metadata");
        int version = 0;
        if (meta != null) {
            for (Map.Entry<String, YamlTree.Node> e : meta.entrySet()) {
                if (!e.getKey().equals("version")) {
                    throw fail(e.getValue(), "metadata." + e.getKey(), "unknown field (supported: version)");
                }
            }
            YamlTree.Node v = meta.get("version");
            if (v != null) {
                if (!(v.value() instanceof Number n)
                        || n.doubleValue() != Math.rint(n.doubleValue())
                        || n.doubleValue() < 0) {
                    throw fail(v, "metadata.version", "must be a whole number (e.g. 1.0), got " + v.value());
                }
                version = (int) n.doubleValue();
            }
        }
        Integer limit = m.containsKey("limit") ? (int) optionalInt(m, "limit", "", 0) : null;
        try {
            return new TaskConfig(
                    name,
                    source,
                    type,
                    text,
                    target,
                    choices,
                    optionalString(m, "target_delimiter", " "),
                    optionalString(m, "fewshot_delimiter", "\n\n"),
                    (int) optionalInt(m, "num_fewshot", "", 0),
                    limit,
                    until,
                    maxGen,
                    metrics(m, type),
                    version,
                    optionalTemplate(m, "description"),
                    docs,
                    fewshot,
                    files);
        } catch (IllegalArgumentException e) {
            throw new TaskFileException(source, root.line(), null, e.getMessage(), e);
        }
    }

    private List<Map<String, Object>> docs(Map<String, YamlTree.Node> m) throws IOException {
        String path = requiredString(m, "dataset_path");
        String format = optionalString(m, "dataset_format", "jsonl");
        String content = readData(path, m.get("dataset_path"));
        switch (format) {
            case "jsonl" -> {
                return TaskData.jsonl(content, path);
            }
            case "llamacpp_hellaswag" -> {
                return TaskData.hellaswag(content, path);
            }
            case "piqa_labels" -> {
                String labels = requiredString(m, "labels_path");
                return TaskData.piqa(content, path, readData(labels, m.get("labels_path")), labels);
            }
            default ->
                throw fail(
                        m.get("dataset_format"),
                        "dataset_format",
                        "unsupported format '" + format + "' (supported: jsonl, llamacpp_hellaswag, piqa_labels)");
        }
    }

    private String readData(String relative, YamlTree.Node node) throws IOException {
        Path p = baseDir.resolve(relative).normalize();
        if (!Files.isRegularFile(p)) {
            throw fail(node, null, "data file " + p + " does not exist");
        }
        byte[] bytes = Files.readAllBytes(p);
        files.put(relative, Sha256.ofBytes(bytes));
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private Template target(Map<String, YamlTree.Node> m) {
        YamlTree.Node n = m.get("doc_to_target");
        if (n == null) {
            throw new TaskFileException(source, 0, "doc_to_target", "is required");
        }
        if (n.value() instanceof Long l) {
            return Template.parse("{{" + l + "}}", source, n.line(), "doc_to_target");
        }
        return optionalTemplate(m, "doc_to_target");
    }

    private TaskConfig.Choices choices(Map<String, YamlTree.Node> m) {
        YamlTree.Node n = m.get("doc_to_choice");
        if (n == null) {
            return null;
        }
        if (n.value() instanceof String s) {
            return new TaskConfig.Choices(Template.parse(s, source, n.line(), "doc_to_choice"), List.of());
        }
        if (n.value() instanceof List) {
            List<Template> each = new ArrayList<>();
            for (YamlTree.Node item : n.list()) {
                if (!(item.value() instanceof String s)) {
                    throw fail(item, "doc_to_choice", "each choice is a string template, got " + item.typeName());
                }
                each.add(Template.parse(s, source, item.line(), "doc_to_choice"));
            }
            if (each.isEmpty()) {
                throw fail(n, "doc_to_choice", "an empty list");
            }
            return new TaskConfig.Choices(null, each);
        }
        throw fail(n, "doc_to_choice", "must be a template or a list of templates, got " + n.typeName());
    }

    private List<String> until(Map<String, YamlTree.Node> gen, List<String> fallback) {
        for (Map.Entry<String, YamlTree.Node> e : gen.entrySet()) {
            Object v = e.getValue().value();
            switch (e.getKey()) {
                case "until", "max_gen_toks" -> {}
                case "do_sample" -> {
                    if (!Boolean.FALSE.equals(v)) {
                        throw fail(
                                e.getValue(),
                                "generation_kwargs.do_sample",
                                "only greedy decoding (false) is supported");
                    }
                }
                case "temperature" -> {
                    if (!(v instanceof Number x) || x.doubleValue() != 0) {
                        throw fail(e.getValue(), "generation_kwargs.temperature", "only 0 (greedy) is supported");
                    }
                }
                default ->
                    throw fail(
                            e.getValue(),
                            "generation_kwargs." + e.getKey(),
                            "unknown field (supported: until, max_gen_toks, do_sample: false, temperature: 0)");
            }
        }
        YamlTree.Node u = gen.get("until");
        if (u == null) {
            return fallback;
        }
        if (u.value() instanceof String s) {
            return List.of(s);
        }
        if (u.value() instanceof List) {
            List<String> out = new ArrayList<>();
            for (YamlTree.Node i : u.list()) {
                if (!(i.value() instanceof String s)) {
                    throw fail(i, "generation_kwargs.until", "stop strings are strings, got " + i.typeName());
                }
                out.add(s);
            }
            return out;
        }
        throw fail(u, "generation_kwargs.until", "must be a string or a list of strings, got " + u.typeName());
    }

    private List<TaskMetric> metrics(Map<String, YamlTree.Node> m, OutputType type) {
        YamlTree.Node list = m.get("metric_list");
        List<String> supported = TaskMetric.supported(type);
        if (list == null) {
            return supported.stream().map(TaskMetric::plain).toList();
        }
        if (!(list.value() instanceof List)) {
            throw fail(list, "metric_list", "must be a list, got " + list.typeName());
        }
        List<TaskMetric> out = new ArrayList<>();
        for (int i = 0; i < list.list().size(); i++) {
            YamlTree.Node entry = list.list().get(i);
            String at = "metric_list[" + i + "].";
            if (!(entry.value() instanceof Map)) {
                throw fail(entry, "metric_list[" + i + "]", "must be a mapping, got " + entry.typeName());
            }
            Map<String, YamlTree.Node> e = entry.map();
            for (Map.Entry<String, YamlTree.Node> f : e.entrySet()) {
                if (!Set.of(
                                "metric",
                                "aggregation",
                                "higher_is_better",
                                "ignore_case",
                                "ignore_punctuation",
                                "regexes_to_ignore")
                        .contains(f.getKey())) {
                    throw fail(
                            f.getValue(),
                            at + f.getKey(),
                            "unknown field (supported: metric, aggregation,"
                                    + " higher_is_better, ignore_case, ignore_punctuation, regexes_to_ignore)");
                }
            }
            YamlTree.Node metricNode = e.get("metric");
            if (metricNode == null || !(metricNode.value() instanceof String name)) {
                throw fail(metricNode == null ? entry : metricNode, at + "metric", "a metric name is required");
            }
            if (!supported.contains(name)) {
                throw fail(
                        metricNode,
                        at + "metric",
                        "unsupported metric '" + name + "' for " + type.id() + " (supported: "
                                + String.join(", ", supported) + ")");
            }
            String aggregation = optionalString(e, "aggregation", TaskMetric.AGGREGATIONS.get(name), at);
            if (!aggregation.equals(TaskMetric.AGGREGATIONS.get(name))) {
                throw fail(
                        e.get("aggregation"),
                        at + "aggregation",
                        "metric " + name + " aggregates by '" + TaskMetric.AGGREGATIONS.get(name) + "', not '"
                                + aggregation + "'");
            }
            var definition = TaskMetric.definition(name);
            boolean higher = optionalBoolean(e, "higher_is_better", definition.higherIsBetter(), at);
            if (higher != definition.higherIsBetter()) {
                throw fail(
                        e.get("higher_is_better"),
                        at + "higher_is_better",
                        "for " + name + " higher is " + (definition.higherIsBetter() ? "better" : "worse"));
            }
            List<Pattern> regexes = new ArrayList<>();
            YamlTree.Node r = e.get("regexes_to_ignore");
            if (r != null) {
                if (!(r.value() instanceof List)) {
                    throw fail(
                            r, at + "regexes_to_ignore", "must be a list of regular expressions, got " + r.typeName());
                }
                for (YamlTree.Node x : r.list()) {
                    if (!(x.value() instanceof String s)) {
                        throw fail(
                                x, at + "regexes_to_ignore", "a regular expression is a string, got " + x.typeName());
                    }
                    try {
                        regexes.add(Pattern.compile(s));
                    } catch (PatternSyntaxException ex) {
                        throw fail(x, at + "regexes_to_ignore", "invalid regular expression: " + ex.getDescription());
                    }
                }
            }
            try {
                out.add(new TaskMetric(
                        definition,
                        optionalBoolean(e, "ignore_case", false, at),
                        optionalBoolean(e, "ignore_punctuation", false, at),
                        regexes));
            } catch (IllegalArgumentException ex) {
                throw fail(entry, "metric_list[" + i + "]", ex.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw fail(list, "metric_list", "is empty");
        }
        return out;
    }

    private Template optionalTemplate(Map<String, YamlTree.Node> m, String field) {
        String s = optionalString(m, field, null);
        return s == null ? null : Template.parse(s, source, m.get(field).line(), field);
    }

    private String requiredString(Map<String, YamlTree.Node> m, String field) {
        String s = optionalString(m, field, null);
        if (s == null) {
            throw new TaskFileException(source, 0, field, "is required");
        }
        return s;
    }

    private String optionalString(Map<String, YamlTree.Node> m, String field, String fallback) {
        return optionalString(m, field, fallback, "");
    }

    private String optionalString(Map<String, YamlTree.Node> m, String field, String fallback, String prefix) {
        YamlTree.Node n = m.get(field);
        if (n == null) {
            return fallback;
        }
        if (!(n.value() instanceof String s)) {
            throw fail(n, prefix + field, "must be a string, got " + n.typeName());
        }
        return s;
    }

    private long optionalInt(Map<String, YamlTree.Node> m, String field, String prefix, long fallback) {
        YamlTree.Node n = m.get(field);
        if (n == null) {
            return fallback;
        }
        if (!(n.value() instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
            throw fail(n, prefix + field, "must be a non-negative integer, got " + n.typeName() + " " + n.value());
        }
        return l;
    }

    private boolean optionalBoolean(Map<String, YamlTree.Node> m, String field, boolean fallback, String prefix) {
        YamlTree.Node n = m.get(field);
        if (n == null) {
            return fallback;
        }
        if (!(n.value() instanceof Boolean b)) {
            throw fail(n, prefix + field, "must be true or false, got " + n.typeName());
        }
        return b;
    }

    private Map<String, YamlTree.Node> optionalMap(Map<String, YamlTree.Node> m, String field) {
        YamlTree.Node n = m.get(field);
        if (n == null) {
            return null;
        }
        if (!(n.value() instanceof Map)) {
            throw fail(n, field, "must be a mapping, got " + n.typeName());
        }
        return n.map();
    }

    private TaskFileException fail(YamlTree.Node node, String field, String problem) {
        return new TaskFileException(source, node == null ? 0 : node.line(), field, problem);
    }
}
