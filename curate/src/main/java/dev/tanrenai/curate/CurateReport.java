package dev.tanrenai.curate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tanrenai.datasets.snapshot.DatasetSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a curate run did, for people: each stage's counts as short text, and the same as JSON.
 * Written next to the run ({@link #write}) so it can be read again after the terminal is gone.
 */
public final class CurateReport {

    private final List<DatasetSnapshot> inputs;
    private final CurateJob.Result result;
    private final CurateJob.Settings settings;

    public CurateReport(DatasetSnapshot input, CurateJob.Result result, CurateJob.Settings settings) {
        this(List.of(input), result, settings);
    }

    public CurateReport(List<DatasetSnapshot> inputs, CurateJob.Result result, CurateJob.Settings settings) {
        this.inputs = List.copyOf(inputs);
        this.result = result;
        this.settings = settings;
    }

    private long count(String name) {
        return result.counts().getOrDefault(name, 0L);
    }

    /** The report as text, one stage per line. */
    public String text() {
        Map<String, Long> c = result.counts();
        String redactions = c.entrySet().stream()
                .filter(e -> e.getKey().startsWith("redacted.") && e.getValue() > 0)
                .map(e -> e.getKey().substring("redacted.".length()).toLowerCase(Locale.ROOT) + " " + e.getValue())
                .collect(Collectors.joining(", "));
        Object scorer = result.snapshot().manifest().provenance().config().getOrDefault("scorer", "heuristic");
        StringBuilder sb = new StringBuilder();
        sb.append("curated snapshot ")
                .append(result.snapshot().id())
                .append("  ")
                .append(result.snapshot().dir())
                .append('\n');
        String names = inputs.stream()
                .map(i -> i.manifest().dataset() + "/" + i.id())
                .sorted()
                .collect(Collectors.joining(" + "));
        line(
                sb,
                "input",
                names + ", " + count("read") + " conversations"
                        + (count("superseded") > 0 ? " (" + count("superseded") + " older versions superseded)" : ""));
        line(
                sb,
                "normalize",
                "dropped " + count("dropped.empty") + " empty, " + count("dropped.system_only") + " system-only");
        line(sb, "redact", redactions.isEmpty() ? "nothing found" : redactions);
        line(
                sb,
                "dedupe",
                "exact " + count("duplicates.exact") + ", near " + count("duplicates.near")
                        + " (Jaccard >= " + settings.dedupeThreshold() + "), already trained "
                        + count("duplicates.history")
                        + (settings.historyIndex() == null ? " (no history index)" : "")
                        + "; candidate pairs " + count("dedupe.candidate_pairs") + ", confirmed "
                        + count("dedupe.confirmed_pairs"));
        line(
                sb,
                "score",
                "scorer " + scorer + (settings.scorerNote().isEmpty() ? "" : " (" + settings.scorerNote() + ")")
                        + ", below " + settings.scoreThreshold() + ": " + count("filtered.low_quality"));
        line(
                sb,
                "split",
                "contaminated " + count("dropped.contaminated") + "; written train " + count("written.train")
                        + ", held out " + count("written.heldout"));
        if (count("dead_letter") > 0) {
            line(sb, "dead", count("dead_letter") + " conversations a stage failed on, in " + result.deadLetters());
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String stage, String text) {
        sb.append(String.format(Locale.ROOT, "  %-10s %s%n", stage, text));
    }

    /** The report as a JSON-ready map: snapshot, input, settings and every count. */
    public Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("snapshot", result.snapshot().id());
        out.put("path", result.snapshot().dir().toString());
        out.put(
                "inputs",
                inputs.stream()
                        .map(i -> Map.of("dataset", i.manifest().dataset(), "snapshot", i.id(), "rows", i.rowCount()))
                        .toList());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("dedupeThreshold", settings.dedupeThreshold());
        s.put("scoreThreshold", settings.scoreThreshold());
        s.put("heldoutShare", settings.heldoutShare());
        s.put("evaluationItems", settings.evaluationItems().size());
        s.put(
                "historyIndex",
                settings.historyIndex() == null ? null : settings.historyIndex().toString());
        out.put("settings", s);
        out.put("provenance", result.snapshot().manifest().provenance().config());
        out.put("counts", result.counts());
        return out;
    }

    /** Writes {@code report.txt} and {@code report.json} into {@code dir} (atomically each); returns the dir. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        atomic(dir.resolve("report.txt"), text().getBytes(StandardCharsets.UTF_8));
        atomic(dir.resolve("report.json"), json.writeValueAsBytes(json()));
        return dir;
    }

    private static void atomic(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
