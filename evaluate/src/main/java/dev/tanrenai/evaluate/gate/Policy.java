package dev.tanrenai.evaluate.gate;

import dev.tanrenai.datasets.provenance.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The promotion policy in force for one evaluation: a value for every {@link PolicySetting}, where it
 * came from, and the SHA-256 of that source, recorded with every decision.
 *
 * @param values every setting's value (defaults filled in)
 * @param source the policy file, or {@code "defaults"}
 * @param sha256 SHA-256 of the file's bytes, or of the canonical text of the defaults
 */
public record Policy(Map<PolicySetting, Object> values, String source, String sha256) {

    public Policy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sha256, "sha256");
        EnumMap<PolicySetting, Object> copy = new EnumMap<>(PolicySetting.class);
        for (PolicySetting s : PolicySetting.values()) {
            Object v = values.get(s);
            if (v == null) {
                throw new PolicyException(source + ": no value for " + s.key());
            }
            copy.put(s, v);
        }
        double confidence = (Double) copy.get(PolicySetting.CONFIDENCE);
        if (!(confidence >= 0.5 && confidence < 1)) {
            throw new PolicyException(source + ": confidence must be in [0.5, 1), got " + confidence);
        }
        int resamples = (Integer) copy.get(PolicySetting.RESAMPLES);
        if (resamples < 1000 || resamples > 1_000_000) {
            throw new PolicyException(source + ": bootstrap.resamples must be in [1000, 1000000], got " + resamples);
        }
        for (PolicySetting s : List.of(
                PolicySetting.HELDOUT_MIN_IMPROVEMENT,
                PolicySetting.RETENTION_MAX_BPB_INCREASE,
                PolicySetting.RETENTION_MAX_KL_MEAN,
                PolicySetting.TASKS_MAX_LOSS,
                PolicySetting.FEEDBACK_MAX_LOSS)) {
            double v = (Double) copy.get(s);
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new PolicyException(source + ": " + s.key() + " must be a finite number >= 0, got " + v);
            }
        }
        values = Collections.unmodifiableMap(copy);
    }

    /** The defaults, as documented by {@link PolicySetting}. */
    public static Policy defaults() {
        EnumMap<PolicySetting, Object> v = new EnumMap<>(PolicySetting.class);
        for (PolicySetting s : PolicySetting.values()) {
            v.put(s, s.defaultValue());
        }
        return new Policy(v, "defaults", Sha256.ofBytes(PolicyYaml.canonical(v).getBytes(StandardCharsets.UTF_8)));
    }

    public double confidence() {
        return (Double) values.get(PolicySetting.CONFIDENCE);
    }

    public int resamples() {
        return (Integer) values.get(PolicySetting.RESAMPLES);
    }

    public long seed() {
        return (Long) values.get(PolicySetting.SEED);
    }

    @SuppressWarnings("unchecked")
    public List<String> requiredSuites() {
        return (List<String>) values.get(PolicySetting.REQUIRED_SUITES);
    }

    public double heldoutMinImprovement() {
        return (Double) values.get(PolicySetting.HELDOUT_MIN_IMPROVEMENT);
    }

    public double retentionMaxBitsPerByteIncrease() {
        return (Double) values.get(PolicySetting.RETENTION_MAX_BPB_INCREASE);
    }

    public double retentionMaxKlMean() {
        return (Double) values.get(PolicySetting.RETENTION_MAX_KL_MEAN);
    }

    public double tasksMaxLoss() {
        return (Double) values.get(PolicySetting.TASKS_MAX_LOSS);
    }

    public boolean probesMustPass() {
        return (Boolean) values.get(PolicySetting.PROBES_MUST_PASS);
    }

    public double feedbackMaxLoss() {
        return (Double) values.get(PolicySetting.FEEDBACK_MAX_LOSS);
    }

    /** For report JSON: source, hash and every value by key. */
    public Map<String, Object> describe() {
        Map<String, Object> byKey = new LinkedHashMap<>();
        values.forEach((k, v) -> byKey.put(k.key(), v));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        out.put("sha256", sha256);
        out.put("values", byKey);
        return out;
    }
}
