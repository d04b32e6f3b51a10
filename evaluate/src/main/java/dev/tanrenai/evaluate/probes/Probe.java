package dev.tanrenai.evaluate.probes;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One regression prompt: the conversation sent to the model (rendered with its chat template and
 * generated greedily, as serve/ does), the answer expected, and whether the gate requires it to pass.
 *
 * @param id unique within its file: lower-case letters, digits, {@code _ . -}
 * @param messages the conversation; system, user and assistant turns, the last one a user turn
 * @param expect what the generated text must match
 * @param mustPass whether a failure refuses promotion
 * @param maxTokens the most tokens generated, 1..{@value #MAX_TOKENS_LIMIT}
 * @param description what the probe checks, for reports (may be empty)
 */
public record Probe(
        String id, List<Message> messages, Expectation expect, boolean mustPass, int maxTokens, String description) {

    /** The id syntax. */
    public static final Pattern ID = Pattern.compile("[a-z0-9_.-]+");

    /** The largest {@code max_tokens} accepted: a probe checks a short answer, not a long generation. */
    public static final int MAX_TOKENS_LIMIT = 4096;

    public Probe {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("probe id '" + id + "' must be lower-case letters, digits, _ . -");
        }
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("probe " + id + ": needs at least one message");
        }
        for (Message m : messages) {
            if (m.role() == Role.TOOL || !m.toolCalls().isEmpty()) {
                throw new IllegalArgumentException("probe " + id + ": only system, user and assistant text turns, got "
                        + m.role().wireName());
            }
        }
        if (messages.get(messages.size() - 1).role() != Role.USER) {
            throw new IllegalArgumentException(
                    "probe " + id + ": the last message must be a user turn (the model" + " answers it), got "
                            + messages.get(messages.size() - 1).role().wireName());
        }
        Objects.requireNonNull(expect, "expect");
        if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
            throw new IllegalArgumentException(
                    "probe " + id + ": max_tokens must be in 1.." + MAX_TOKENS_LIMIT + ", got " + maxTokens);
        }
        Objects.requireNonNull(description, "description");
    }

    /** The last user turn: what the probe asks, for reports. */
    public String prompt() {
        return messages.get(messages.size() - 1).content();
    }

    /** How an output is compared with the expected strings (see {@link ProbeMatcher}). */
    public enum Kind {
        /** The output, stripped of surrounding white space, equals one of the strings (also stripped). */
        EXACT("exact"),
        /** The output contains one of the strings. */
        CONTAINS("contains"),
        /** One of the regular expressions is found somewhere in the output ({@link java.util.regex.Matcher#find}). */
        REGEX("regex");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** The YAML field naming this kind under {@code expect}. */
        public String field() {
            return field;
        }
    }

    /**
     * The expected answer.
     *
     * @param kind how to compare
     * @param anyOf the strings or regular expressions; the output passes when it matches any of them
     * @param ignoreCase compare without regard to case
     */
    public record Expectation(Kind kind, List<String> anyOf, boolean ignoreCase) {

        public Expectation {
            Objects.requireNonNull(kind, "kind");
            anyOf = List.copyOf(anyOf);
            if (anyOf.isEmpty()) {
                throw new IllegalArgumentException("an expectation needs at least one " + kind.field() + " string");
            }
            for (String s : anyOf) {
                if (s.strip().isEmpty()) {
                    throw new IllegalArgumentException(
                            kind.field() + ": an empty string matches every output, so the probe could never fail");
                }
                if (kind == Kind.REGEX) {
                    compile(s, ignoreCase);
                }
            }
        }

        /** One expected string. */
        public static Expectation of(Kind kind, String value, boolean ignoreCase) {
            return new Expectation(kind, List.of(value), ignoreCase);
        }

        /** {@code regex} compiled with the flags the matcher uses. */
        static Pattern compile(String regex, boolean ignoreCase) throws PatternSyntaxException {
            return Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        }
    }
}
