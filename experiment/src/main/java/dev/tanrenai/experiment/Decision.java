package dev.tanrenai.experiment;

import java.util.Locale;

/** What an evaluation of a running experiment decides. */
public enum Decision {
    /** The challenger is better on the primary metric and no guardrail tripped: it becomes champion. */
    PROMOTE,
    /** A guardrail tripped, or the challenger is worse on the primary metric: its traffic goes back. */
    ROLLBACK,
    /** The maximum duration passed without a decision: the champion stays, the challenger is cleared. */
    NO_DIFFERENCE,
    /** Not enough evidence yet: keep collecting. */
    CONTINUE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the decision ends the experiment. */
    public boolean ends() {
        return this != CONTINUE;
    }
}
