package dev.tanrenai.datasets;

import java.util.Locale;

/** The author of a chat message, as OpenAI's chat format names it. */
public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL;

    /** The lower-case name used on the wire ({@code "system"}, {@code "user"}, ...). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static Role fromWireName(String name) {
        if (name != null) {
            for (Role role : values()) {
                if (role.wireName().equals(name)) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown role '" + name + "' (expected one of system, user, assistant, tool)");
    }
}
