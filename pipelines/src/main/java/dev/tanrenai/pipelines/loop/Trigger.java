package dev.tanrenai.pipelines.loop;

import java.util.Locale;

/** What started a nightly run. */
public enum Trigger {
    MANUAL,
    SCHEDULE,
    RESUME;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Trigger fromLabel(String label) {
        for (Trigger t : values()) {
            if (t.label().equals(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("--trigger: must be manual or schedule, got '" + label + "'");
    }
}
