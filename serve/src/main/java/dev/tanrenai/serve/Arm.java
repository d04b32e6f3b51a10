package dev.tanrenai.serve;

import java.util.Locale;

/** The two serving slots: the current best model and the candidate under test. */
public enum Arm {
    CHAMPION,
    CHALLENGER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code champion} or {@code challenger}. */
    public static Arm fromName(String name) {
        for (Arm a : values()) {
            if (a.wireName().equals(name)) {
                return a;
            }
        }
        throw new OpenAiException(
                400,
                "invalid_request_error",
                "invalid_arm",
                null,
                "unknown arm '" + name + "' (expected champion or challenger)");
    }
}
