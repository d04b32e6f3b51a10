package dev.tanrenai.evaluate.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.provenance.BuildInfo;
import dev.tanrenai.evaluate.cache.ResultCache;
import dev.tanrenai.evaluate.gate.Check;
import dev.tanrenai.evaluate.gate.Decision;
import dev.tanrenai.evaluate.report.EvaluationReport;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Assembles {@code report.json} (schema {@link EvaluationReport#SCHEMA}) from an evaluation's parts. */
final class ReportJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportJson() {}

    static ObjectNode build(
            String id,
            Instant started,
            EvaluationPlan plan,
            Decision decision,
            List<Map<String, Object>> suites,
            Map<String, Object> timings,
            long scoredTokens,
            int cacheHits)
            throws IOException {
        ObjectNode r = JSON.createObjectNode();
        r.put("schema", EvaluationReport.SCHEMA);
        r.put("id", id);
        r.put("createdAt", started.toString());
        r.put("decision", decision.verdict());
        r.put("forced", decision.forced());
        r.put("forceReason", decision.forceReason());
        r.put("summary", decision.summary());
        r.set("candidate", party(plan.candidateLabel(), plan.candidateAdapterId(), plan.candidate()));
        r.set("baseline", party(plan.baselineLabel(), plan.baselineAdapterId(), plan.baseline()));
        r.set("policy", JSON.valueToTree(plan.policy().describe()));
        ArrayNode checks = r.putArray("checks");
        for (Check c : decision.checks()) {
            checks.add(JSON.valueToTree(c.describe()));
        }
        r.set("absentSuites", JSON.valueToTree(plan.absent()));
        r.set("suites", JSON.valueToTree(suites));
        r.set("training", training(plan.training()));
        r.set("lineage", plan.lineage().isEmpty() ? JSON.nullNode() : JSON.valueToTree(plan.lineage()));
        ObjectNode provenance = r.putObject("provenance");
        BuildInfo build = BuildInfo.current();
        provenance.put("codeVersion", build.describe());
        provenance.set("build", JSON.valueToTree(build.toMap()));
        ObjectNode scoring = provenance.putObject("scoring");
        scoring.put("window", plan.scoring().window());
        scoring.put("batchTokens", plan.scoring().batchTokens());
        scoring.put("klTopK", plan.scoring().klTopK());
        scoring.put("precision", plan.scoring().precision().key());
        scoring.put("key", plan.scoring().key());
        scoring.put("scorerVersion", ResultCache.SCORER_VERSION);
        scoring.put(
                "likelihoods",
                "DJL decoder (PyTorch engine), forward only, adapter applied, "
                        + switch (plan.scoring().precision()) {
                            case FLOAT32 -> "float32";
                            case BFLOAT16 -> "bf16 block matrix products, float32 elsewhere";
                        });
        scoring.put("generation", "llama.cpp via java-llama.cpp, greedy");
        ObjectNode bootstrap = provenance.putObject("bootstrap");
        bootstrap.put("method", "paired percentile bootstrap, clusters resampled with replacement");
        bootstrap.put("resamples", plan.policy().resamples());
        bootstrap.put("seed", plan.policy().seed());
        bootstrap.put("confidence", plan.policy().confidence());
        provenance.put("java", System.getProperty("java.version"));
        provenance.put("finishedAt", Instant.now().toString());
        provenance.put("scoredTokens", scoredTokens);
        provenance.put("cacheHits", cacheHits);
        provenance.set("secondsPerSuite", JSON.valueToTree(timings));
        return r;
    }

    private static ObjectNode party(String label, String adapterId, ModelUnderTest m) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", adapterId != null ? adapterId : label);
        p.put("label", label);
        p.put(
                "describe",
                label
                        + (m.hasAdapter() ? " (adapter " + m.adapterPath().getFileName() + " over " : " (base ")
                        + m.basePath().getFileName()
                        + (m.hasAdapter() ? ")" : ")"));
        p.put("baseSha256", m.baseSha256());
        p.put("adapterSha256", m.adapterSha256());
        p.put("cacheKey", m.cacheKey());
        return p;
    }

    /** The run's loss curve from its metrics.jsonl ({@code step}, {@code loss} per line). */
    private static JsonNode training(EvaluationPlan.TrainingInfo t) throws IOException {
        if (t == null) {
            return JSON.nullNode();
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("runId", t.runId());
        ArrayNode loss = node.putArray("loss");
        if (t.metricsFile() != null && Files.isRegularFile(t.metricsFile())) {
            try (BufferedReader in = Files.newBufferedReader(t.metricsFile(), StandardCharsets.UTF_8)) {
                String line;
                int n = 0;
                while ((line = in.readLine()) != null) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode step;
                    try {
                        step = JSON.readTree(line);
                    } catch (IOException e) {
                        throw new IOException(t.metricsFile() + ":" + n + ": not a JSON object: " + e.getMessage(), e);
                    }
                    if (!step.path("step").isNumber() || !step.path("loss").isNumber()) {
                        throw new IOException(t.metricsFile() + ":" + n + ": a step needs numeric 'step' and 'loss'");
                    }
                    ObjectNode point = loss.addObject();
                    point.put("step", step.get("step").asLong());
                    point.put("loss", step.get("loss").asDouble());
                }
            }
        } else {
            node.put(
                    "note",
                    t.metricsFile() == null ? "the run recorded no metrics file" : "missing: " + t.metricsFile());
        }
        node.set("hyperparameters", JSON.valueToTree(t.hyperparameters()));
        return node;
    }
}
