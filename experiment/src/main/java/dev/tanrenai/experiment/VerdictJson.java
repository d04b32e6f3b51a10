package dev.tanrenai.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/** Verdicts, arm summaries and configs as JSON: what the store keeps, {@code /admin/ab} and {@code pipeline ab} show. */
public final class VerdictJson {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Node factory for callers that assemble their own JSON around verdicts. */
    public static final com.fasterxml.jackson.databind.node.JsonNodeFactory JSON_NODES =
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    private VerdictJson() {}

    public static ObjectNode verdict(Verdict v) {
        ObjectNode out = JSON.createObjectNode();
        out.put("decision", v.decision().wireName());
        out.put("reason", v.reason());
        out.put("elapsedDays", v.elapsedDays());
        out.set("champion", arm(v.champion()));
        out.set("challenger", arm(v.challenger()));
        if (v.test() == null) {
            out.putNull("test");
        } else {
            ObjectNode t = out.putObject("test");
            t.put("effect", v.test().effect());
            t.put("lower", v.test().lower());
            t.put("upper", v.test().upper());
            t.put("logLikelihoodRatio", v.test().logLambda());
            t.put("boundary", v.test().logThreshold());
            t.put("crossed", v.test().crossed());
        }
        v.guardrails().forEach(out.putArray("guardrails")::add);
        return out;
    }

    public static ObjectNode arm(ArmSummary a) {
        ObjectNode out = JSON.createObjectNode();
        out.put("users", a.users());
        out.put("ratedUsers", a.ratedUsers());
        out.put("conversations", a.conversations());
        out.put("turns", a.turns());
        putNumber(out, "ratingRate", a.primary().mean());
        double se = a.ratedUsers() >= 2 ? Math.sqrt(a.primary().variance() / a.ratedUsers()) : Double.NaN;
        putNumber(out, "ratingRateStdError", se);
        out.put("ratings", a.ratings());
        out.put("ups", a.ups());
        out.put("downs", a.downs());
        putNumber(out, "meanRating", a.meanRating());
        out.put("errors", a.errors());
        out.put("errorRate", a.errorRate());
        out.put("regenerations", a.regenerations());
        out.put("regenerationRate", a.regenerationRate());
        out.put("continued", a.continued());
        out.put("abandoned", a.abandoned());
        out.put("toolCallTurns", a.toolCallTurns());
        out.put("latencyP50Ms", a.p50LatencyMs());
        out.put("latencyP95Ms", a.p95LatencyMs());
        out.put("promptTokens", a.promptTokens());
        out.put("completionTokens", a.completionTokens());
        return out;
    }

    private static void putNumber(ObjectNode out, String key, double value) {
        if (Double.isFinite(value)) {
            out.put(key, value);
        } else {
            out.putNull(key);
        }
    }

    static String config(ExperimentConfig c) {
        ObjectNode out = JSON.createObjectNode();
        out.put("alpha", c.alpha());
        out.put("tau", c.tau());
        out.put("minUsersPerArm", c.minUsersPerArm());
        out.put("maxDuration", c.maxDuration().toString());
        out.put("guardrailMinTurns", c.guardrailMinTurns());
        out.put("maxErrorRateIncrease", c.maxErrorRateIncrease());
        out.put("maxP95LatencyRatio", c.maxP95LatencyRatio());
        out.put("minP95LatencyIncreaseMs", c.minP95LatencyIncreaseMs());
        out.put("maxRegenerationIncrease", c.maxRegenerationIncrease());
        out.put("evaluateEvery", c.evaluateEvery().toString());
        return out.toString();
    }

    static ExperimentConfig config(String json, String where) {
        try {
            JsonNode n = JSON.readTree(json);
            return new ExperimentConfig(
                    required(n, "alpha", where).asDouble(),
                    required(n, "tau", where).asDouble(),
                    required(n, "minUsersPerArm", where).asInt(),
                    Duration.parse(required(n, "maxDuration", where).asText()),
                    required(n, "guardrailMinTurns", where).asInt(),
                    required(n, "maxErrorRateIncrease", where).asDouble(),
                    required(n, "maxP95LatencyRatio", where).asDouble(),
                    required(n, "minP95LatencyIncreaseMs", where).asLong(),
                    required(n, "maxRegenerationIncrease", where).asDouble(),
                    Duration.parse(required(n, "evaluateEvery", where).asText()));
        } catch (java.io.IOException | RuntimeException e) {
            throw new ExperimentException("the stored config of " + where + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode n, String key, String where) {
        if (!n.hasNonNull(key)) {
            throw new ExperimentException("the stored config of " + where + " lacks " + key);
        }
        return n.get(key);
    }

    static JsonNode parse(String json, String where) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new ExperimentException("the stored numbers of " + where + " are unreadable: " + e.getMessage(), e);
        }
    }
}
