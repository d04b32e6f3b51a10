package dev.tanrenai.evaluate.suite;

import java.util.Arrays;
import java.util.Locale;

/** The kinds of evaluation suite; the id is what the CLI, the policy and reports call them. */
public enum SuiteKind {
    /** The curated snapshot's held-out split: new data the candidate should fit better. */
    HELDOUT("heldout"),
    /** A seeded sample of the replay buffer: what earlier nights taught. */
    REPLAY("replay"),
    /** Reference text of the base model's own domain, with KL to the baseline. */
    GENERAL("general"),
    /** lm-evaluation-harness tasks. */
    TASKS("tasks"),
    /** The team's regression prompts, by generation. */
    PROBES("probes"),
    /** Conversations users rated, up against down. */
    FEEDBACK("feedback");

    private final String id;

    SuiteKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The kind named {@code id}, or an error listing the known ones. */
    public static SuiteKind fromId(String id) {
        for (SuiteKind k : values()) {
            if (k.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown suite '" + id + "' (known: "
                + String.join(", ", Arrays.stream(values()).map(SuiteKind::id).toList()) + ")");
    }
}
