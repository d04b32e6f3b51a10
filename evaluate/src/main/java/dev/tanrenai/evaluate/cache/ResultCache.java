package dev.tanrenai.evaluate.cache;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.provenance.BuildInfo;
import dev.tanrenai.datasets.provenance.Sha256;
import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.score.SequenceScore;
import dev.tanrenai.evaluate.suite.SuiteInfo;
import dev.tanrenai.evaluate.suite.SuiteRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Per-item results of one model on one suite, kept in the home so a champion scored last night is not
 * scored again. An entry lives at
 * {@code <root>/<suite id>-v<suite version>-<content sha12>/<scoring settings>-s<SCORER_VERSION>/<model key>[__vs-<reference key>]/}
 * where the model key names the base and adapter SHA-256s ({@link
 * dev.tanrenai.evaluate.score.ModelUnderTest#cacheKey()}). It holds {@code run.json} (items, notes,
 * the code version that scored them), {@code reference.bin} / {@code kl.bin} when the run has them,
 * and {@code manifest.json} with the SHA-256 of each file, written last.
 *
 * <p>Writes go to a temporary directory that is renamed into place, so a killed process leaves either
 * a whole entry or none. A read verifies every file against the manifest and the suite identity; a
 * mismatch is reported as {@link Lookup.Corrupt} (with the reason, for the evaluation's notes) and the
 * caller scores again, replacing the entry. The code version is recorded, not keyed: a new commit does
 * not invalidate results; a change to how scores are computed bumps {@link #SCORER_VERSION} or the suite's
 * version.
 */
public final class ResultCache {

    /**
     * Bumped when the token scorer's results change (windowing, KL definition, precision). 2: the output
     * head runs on scored positions only (float rounding may differ from 1 in the last bits). 3: each
     * forward pass runs as one TorchScript call (the same operations in the same order: equal results
     * in every test, but a different code path, so earlier entries are not served for it). 4: windows
     * are scored side by side along a batch dimension, right-padded, instead of packed into one sequence,
     * and the scripted attention skips the masked scores by chunks of queries (log-probabilities move by
     * float rounding: up to ~2e-6 against the DJL ops on the tiny models and on stories260K).
     */
    public static final int SCORER_VERSION = 4;

    static final String RUN = "run.json";
    static final String REFERENCE = "reference.bin";
    static final String KL = "kl.bin";
    static final String MANIFEST = "manifest.json";
    private static final int SCHEMA = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    public ResultCache(Path root) {
        this.root = root;
    }

    /** What a lookup found. */
    public sealed interface Lookup {
        Path dir();

        record Hit(Path dir, SuiteRun run) implements Lookup {}

        record Miss(Path dir) implements Lookup {}

        record Corrupt(Path dir, String reason) implements Lookup {}
    }

    /** The entry directory of a run (whether or not it exists). */
    public Path entryDir(SuiteInfo suite, ScoringSettings settings, String modelKey, String referenceKey) {
        String model = referenceKey == null ? modelKey : modelKey + "__vs-" + referenceKey;
        return root.resolve(suite.cacheKey())
                .resolve(settings.key() + "-s" + SCORER_VERSION)
                .resolve(model.replace('|', '_'));
    }

    public Lookup lookup(SuiteInfo suite, ScoringSettings settings, String modelKey, String referenceKey) {
        Path dir = entryDir(suite, settings, modelKey, referenceKey);
        if (!Files.isDirectory(dir)) {
            return new Lookup.Miss(dir);
        }
        try {
            return new Lookup.Hit(dir, read(dir, suite, settings, modelKey, referenceKey));
        } catch (IOException | RuntimeException e) {
            return new Lookup.Corrupt(dir, e.getMessage());
        }
    }

    /** Stores {@code run}, replacing whatever entry was there. */
    public Path store(SuiteRun run, ScoringSettings settings) throws IOException {
        Path dir = entryDir(run.suite(), settings, run.modelKey(), run.referenceKey());
        Files.createDirectories(dir.getParent());
        Path temp = dir.getParent().resolve(".tmp-" + UUID.randomUUID());
        Files.createDirectory(temp);
        try {
            Map<String, String> files = new LinkedHashMap<>();
            files.put(RUN, write(temp.resolve(RUN), JSON.writeValueAsBytes(runJson(run, settings))));
            if (run.reference() != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                RunCodec.writeReference(run.reference(), bytes);
                files.put(REFERENCE, write(temp.resolve(REFERENCE), bytes.toByteArray()));
            }
            if (run.perTokenKl() != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                RunCodec.writeKl(run.perTokenKl(), bytes);
                files.put(KL, write(temp.resolve(KL), bytes.toByteArray()));
            }
            write(temp.resolve(MANIFEST), JSON.writeValueAsBytes(Map.of("schema", SCHEMA, "files", files)));
            if (Files.exists(dir)) {
                deleteTree(dir);
            }
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException | RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
    }

    private static ObjectNode runJson(SuiteRun run, ScoringSettings settings) {
        ObjectNode node = JSON.createObjectNode();
        node.put("schema", SCHEMA);
        SuiteInfo s = run.suite();
        node.put("suite", s.id());
        node.put("suiteVersion", s.version());
        node.put("suiteSha256", s.contentSha256());
        node.put("modelKey", run.modelKey());
        node.put("referenceKey", run.referenceKey());
        node.put("scoring", settings.key());
        node.put("scorerVersion", SCORER_VERSION);
        node.put("codeVersion", BuildInfo.current().describe());
        node.put("createdAt", Instant.now().toString());
        node.put("scoredTokens", run.scoredTokens());
        node.set("items", JSON.valueToTree(run.items()));
        node.set("pairwise", JSON.valueToTree(run.pairwise()));
        node.set("notes", JSON.valueToTree(run.notes()));
        return node;
    }

    private static SuiteRun read(
            Path dir, SuiteInfo suite, ScoringSettings settings, String modelKey, String referenceKey)
            throws IOException {
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            throw new IOException("no " + MANIFEST + " (an interrupted write)");
        }
        JsonNode manifest = JSON.readTree(dir.resolve(MANIFEST).toFile());
        Map<String, String> files =
                JSON.convertValue(manifest.path("files"), new TypeReference<LinkedHashMap<String, String>>() {});
        if (files == null || !files.containsKey(RUN)) {
            throw new IOException(MANIFEST + " lists no " + RUN);
        }
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            byte[] bytes = Files.readAllBytes(dir.resolve(f.getKey()));
            String actual = Sha256.ofBytes(bytes);
            if (!actual.equals(f.getValue())) {
                throw new IOException(f.getKey() + " has SHA-256 " + actual + " but the manifest says " + f.getValue());
            }
            contents.put(f.getKey(), bytes);
        }
        JsonNode run = JSON.readTree(contents.get(RUN));
        requireEqual("suite", suite.id(), run.path("suite").asText());
        requireEqual(
                "suite version",
                String.valueOf(suite.version()),
                run.path("suiteVersion").asText());
        requireEqual(
                "suite content", suite.contentSha256(), run.path("suiteSha256").asText());
        requireEqual("model", modelKey, run.path("modelKey").asText());
        // the directory names the settings already; the recorded ones must agree (e.g. fp32 vs bf16)
        requireEqual("scoring settings", settings.key(), run.path("scoring").asText());
        requireEqual(
                "reference",
                String.valueOf(referenceKey),
                run.path("referenceKey").asText("null"));
        List<ItemScore> items = itemScores(run.path("items"));
        List<ItemScore> pairwise = itemScores(run.path("pairwise"));
        Map<String, Object> notes =
                JSON.convertValue(run.path("notes"), new TypeReference<LinkedHashMap<String, Object>>() {});
        List<SequenceScore> reference = contents.containsKey(REFERENCE)
                ? RunCodec.readReference(new ByteArrayInputStream(contents.get(REFERENCE)), dir.resolve(REFERENCE) + "")
                : null;
        float[] kl = contents.containsKey(KL)
                ? RunCodec.readKl(new ByteArrayInputStream(contents.get(KL)), dir.resolve(KL) + "")
                : null;
        return new SuiteRun(
                suite,
                modelKey,
                referenceKey,
                items,
                pairwise,
                kl,
                reference,
                notes == null ? Map.of() : notes,
                run.path("scoredTokens").asLong());
    }

    private static List<ItemScore> itemScores(JsonNode array) throws IOException {
        if (!array.isArray()) {
            throw new IOException("run.json: expected an array of items");
        }
        List<ItemScore> out = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            Map<String, Double> values =
                    JSON.convertValue(n.path("values"), new TypeReference<LinkedHashMap<String, Double>>() {});
            out.add(new ItemScore(
                    n.path("itemId").asText(),
                    n.path("cluster").asText(),
                    values,
                    n.path("text").asText()));
        }
        return out;
    }

    private static void requireEqual(String what, String expected, String found) throws IOException {
        if (!expected.equals(found)) {
            throw new IOException("run.json is for " + what + " '" + found + "', expected '" + expected + "'");
        }
    }

    private static String write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return Sha256.ofBytes(bytes);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
