package dev.tanrenai.datasets.format;

import java.util.Locale;

/** The conversation file formats Tanrenai imports. */
public enum ChatFormat {
    /** OpenAI chat format: {@code {"messages":[{"role":...,"content":...}, ...]}} per line. */
    OPENAI,
    /** ShareGPT: {@code {"conversations":[{"from":"human|gpt|system","value":...}, ...]}} per line. */
    SHAREGPT;

    /** The lower-case name used on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code openai} or {@code sharegpt}, naming the accepted values otherwise. */
    public static ChatFormat fromName(String name) {
        for (ChatFormat f : values()) {
            if (f.cliName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "' (expected openai or sharegpt)");
    }
}
