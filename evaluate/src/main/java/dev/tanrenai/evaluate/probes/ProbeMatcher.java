package dev.tanrenai.evaluate.probes;

import java.util.Locale;
import java.util.Objects;

/**
 * Decides whether a generated text passes a probe's {@link Probe.Expectation}: it passes when it matches
 * any of the expected strings.
 *
 * <ul>
 *   <li>{@link Probe.Kind#EXACT}: the output and the expected string, each stripped of surrounding white
 *       space ({@link String#strip}), are equal.
 *   <li>{@link Probe.Kind#CONTAINS}: the output contains the expected string as written.
 *   <li>{@link Probe.Kind#REGEX}: the regular expression is found anywhere in the output
 *       ({@link java.util.regex.Matcher#find}); anchor it with {@code ^...$} to match the whole output.
 * </ul>
 *
 * With {@code ignore_case}, exact and contains compare both texts lower-cased in {@link Locale#ROOT}, and
 * a regex is compiled with {@code CASE_INSENSITIVE | UNICODE_CASE}.
 */
public final class ProbeMatcher {

    private ProbeMatcher() {}

    /** Whether {@code output} passes {@code expect}. */
    public static boolean matches(Probe.Expectation expect, String output) {
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(output, "output");
        for (String expected : expect.anyOf()) {
            if (matchesOne(expect.kind(), expected, output, expect.ignoreCase())) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesOne(Probe.Kind kind, String expected, String output, boolean ignoreCase) {
        return switch (kind) {
            case EXACT -> fold(output.strip(), ignoreCase).equals(fold(expected.strip(), ignoreCase));
            case CONTAINS -> fold(output, ignoreCase).contains(fold(expected, ignoreCase));
            case REGEX ->
                Probe.Expectation.compile(expected, ignoreCase).matcher(output).find();
        };
    }

    private static String fold(String s, boolean ignoreCase) {
        return ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
    }
}
