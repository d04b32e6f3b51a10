package dev.tanrenai.evaluate.gate;

import java.util.List;

/**
 * Every setting of the promotion policy, declared once: its YAML key, type, default and the reason for
 * the default. {@link Policy} parses against this list, {@link PolicyYaml#documented()} prints it as a
 * commented policy file, and every evaluation records the values in force.
 */
public enum PolicySetting {
    CONFIDENCE(
            "confidence",
            Type.DOUBLE,
            0.95,
            "Confidence level of every interval the gate reads. 95% two-sided: a check that needs the interval"
                    + " above a bound is a one-sided test at 2.5%, so an equal candidate passes an improvement check"
                    + " about 1 night in 40 by chance."),
    RESAMPLES(
            "bootstrap.resamples",
            Type.INT,
            10_000,
            "Paired bootstrap resamples. The Monte-Carlo error of a 2.5% percentile with 10,000 resamples is"
                    + " sqrt(0.025*0.975/10000) = 0.16 percentile points: small against the interval itself."),
    SEED(
            "bootstrap.seed",
            Type.LONG,
            20_240_101L,
            "Seed of the bootstrap and of the replay sample: the same inputs give the same decision."),
    REQUIRED_SUITES(
            "required_suites",
            Type.STRING_LIST,
            List.of("heldout", "general"),
            "Suites that must be present; a missing one fails its check. replay joins when the buffer holds an"
                    + " earlier night's data (on the first night it holds none); add it here to require it."),
    HELDOUT_MIN_IMPROVEMENT(
            "heldout.min_improvement",
            Type.DOUBLE,
            0.0,
            "Nats per assistant token the held-out NLL must decrease by, at the interval's lower bound. 0 asks"
                    + " for a significant improvement on new data; raise it to demand a minimum effect."),
    RETENTION_MAX_BPB_INCREASE(
            "retention.max_bits_per_byte_increase",
            Type.DOUBLE,
            0.02,
            "Non-inferiority budget of each retention suite (replay, general): the upper bound of the bits-per-"
                    + "byte increase must stay below it. It must exceed the noise, or an equal candidate fails most"
                    + " nights: the paired interval's half-width is about 0.012 bits per byte on 200 TinyStories"
                    + " documents (measured on stories260K); 0.02 bits per byte is about 1.4% more perplexity per"
                    + " byte."),
    RETENTION_MAX_KL_MEAN(
            "retention.max_kl_mean",
            Type.DOUBLE,
            0.15,
            "Budget of the mean per-token KL(champion || candidate) on the general suite, at the interval's upper"
                    + " bound, in nats. llama.cpp reports ~0.001-0.1 for quantizations people accept; a nightly"
                    + " adapter may move more than a quantization, so the budget sits above that range and far"
                    + " below what a wrecked adapter shows (8.1 nats on stories260K)."),
    TASKS_MAX_LOSS(
            "tasks.max_loss",
            Type.DOUBLE,
            0.0,
            "Task metrics may not get significantly worse: refused when the whole interval of the change lies"
                    + " below -max_loss (0/1 metrics: a loss with McNemar's exact p below 1 - confidence)."),
    PROBES_MUST_PASS(
            "probes.must_pass",
            Type.BOOLEAN,
            true,
            "Every probe marked must_pass must pass on the candidate: a regression the team named is never"
                    + " traded for an average gain."),
    FEEDBACK_MAX_LOSS(
            "feedback.max_loss",
            Type.DOUBLE,
            0.0,
            "The margin between answers users rated down and up (NLL of down minus NLL of up) may not shrink"
                    + " significantly: refused when the interval of its change lies wholly below -max_loss.");

    /** The types a setting can have. */
    public enum Type {
        DOUBLE,
        INT,
        LONG,
        BOOLEAN,
        STRING_LIST
    }

    private final String key;
    private final Type type;
    private final Object defaultValue;
    private final String doc;

    PolicySetting(String key, Type type, Object defaultValue, String doc) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = doc;
    }

    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** The setting with YAML key {@code key}, or null. */
    public static PolicySetting ofKey(String key) {
        for (PolicySetting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }
}
