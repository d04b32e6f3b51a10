package dev.tanrenai.datasets.format;

import java.util.Locale;

/** The conversation file formats Tanrenai imports. */
public enum ChatFormat {
    /** OpenAI chat format: {@code {"messages":[{"role":...,"content":...}, ...]}} per line. */
    OPENAI,
    /**
     * ShareGPT: {@code {"conversations":[{"from":"human|gpt|system|function_call|observation","value":...},
     * ...], "tools"?}} per line.
     */
    SHAREGPT,
    /** Alpaca: {@code {"instruction":..., "input"?:..., "output":..., "system"?:..., "history"?:[[q, a]]}}. */
    ALPACA;

    /** The lower-case name used on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code openai}, {@code sharegpt} or {@code alpaca}, naming the accepted values otherwise. */
    public static ChatFormat fromName(String name) {
        for (ChatFormat f : values()) {
            if (f.cliName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "' (expected openai, sharegpt or alpaca)");
    }
}
