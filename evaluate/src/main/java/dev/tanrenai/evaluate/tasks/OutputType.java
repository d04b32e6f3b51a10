package dev.tanrenai.evaluate.tasks;

import java.util.Arrays;

/** The lm-evaluation-harness output types this module scores. */
public enum OutputType {
    /** Loglikelihood of {@code target_delimiter + choice} for each choice; the gold choice should win. */
    MULTIPLE_CHOICE("multiple_choice"),
    /** Loglikelihood of the target after the context, and whether it is the greedy continuation. */
    LOGLIKELIHOOD("loglikelihood"),
    /** Loglikelihood of a whole text ({@code doc_to_target}), for perplexities. */
    LOGLIKELIHOOD_ROLLING("loglikelihood_rolling"),
    /** Greedy generation until a stop string, compared with the target. */
    GENERATE_UNTIL("generate_until");

    private final String id;

    OutputType(String id) {
        this.id = id;
    }

    /** The name task files use. */
    public String id() {
        return id;
    }

    /** The type named {@code id}, or null. */
    static OutputType byId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst().orElse(null);
    }

    static String supported() {
        return String.join(", ", Arrays.stream(values()).map(OutputType::id).toList());
    }
}
