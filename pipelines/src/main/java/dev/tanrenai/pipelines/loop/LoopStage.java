package dev.tanrenai.pipelines.loop;

import java.util.Locale;

/** The stages of the nightly loop, in the order they run; their names are the run records' stage names. */
public enum LoopStage {
    EXTRACT,
    CURATE,
    TRAIN,
    EVALUATE,
    PROMOTE;

    /** The name in run records, logs and JSON: {@code extract}, {@code curate}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LoopStage fromLabel(String label) {
        for (LoopStage s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "no loop stage '" + label + "' (stages: extract, curate, train, evaluate, promote)");
    }
}
