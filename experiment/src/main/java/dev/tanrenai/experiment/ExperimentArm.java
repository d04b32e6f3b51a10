package dev.tanrenai.experiment;

import java.util.Locale;

/** The two arms of an experiment; their wire names are also the registry aliases they are served from. */
public enum ExperimentArm {
    CHAMPION,
    CHALLENGER;

    /** {@code champion} or {@code challenger}: the registry alias and the {@code turn.N.arm} value serve logs. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The arm named {@code name}; null for anything else (a turn of no experiment arm). */
    public static ExperimentArm fromWireName(String name) {
        for (ExperimentArm a : values()) {
            if (a.wireName().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
