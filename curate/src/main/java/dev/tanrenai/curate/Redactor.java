package dev.tanrenai.curate;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets and personal data in text with typed placeholders such as {@code <EMAIL>}:
 * private-key blocks, credentials in URLs, JWTs, API keys and tokens ({@code sk-}, {@code gh?_},
 * {@code github_pat_}, {@code AKIA}/{@code ASIA}, {@code xox?-}, {@code AIza}, {@code sk_live_}/
 * {@code rk_live_}), AWS secret access keys (40 characters of mixed case and digits), passwords
 * after "password:"/"password is" (the value only), e-mail addresses, payment cards (Luhn-checked
 * windows of whole digit groups, so order numbers stay and a card after other digits is found),
 * IPv6 and IPv4 addresses (also at a sentence end), phone numbers. Patterns run most specific first.
 */
public final class Redactor implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What was found. */
    public enum Kind {
        PRIVATE_KEY,
        URL_CREDENTIALS,
        JWT,
        API_KEY,
        AWS_SECRET,
        PASSWORD,
        EMAIL,
        CARD,
        IPV6,
        IPV4,
        PHONE;

        public String placeholder() {
            return "<" + name() + ">";
        }
    }

    private record Rule(Kind kind, Pattern pattern) implements Serializable {}

    /**
     * Where a key may start: not inside a word, except right after a JSON escape such as {@code \n}
     * (text that holds escaped JSON).
     */
    private static final String KEY_START = "(?:(?<![A-Za-z0-9_])|(?<=\\\\[nrtu]))";

    /** A secret value after its name: up to white space, a quote or a backslash (a JSON escape). */
    private static final String SECRET_VALUE = "([^\\s\"'`\\\\]+)";

    private static final Pattern PASSWORD_WORD = Pattern.compile("(?i)pass|pwd");

    private static final List<Rule> RULES = List.of(
            new Rule(
                    Kind.PRIVATE_KEY,
                    Pattern.compile(
                            "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----")),
            new Rule(Kind.URL_CREDENTIALS, Pattern.compile("(?<=://)[^\\s:/@]+:[^\\s/@]+(?=@)")),
            new Rule(
                    Kind.JWT,
                    Pattern.compile(KEY_START + "eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}")),
            new Rule(
                    Kind.API_KEY,
                    Pattern.compile(KEY_START
                            + "(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{30,}"
                            + "|github_pat_[A-Za-z0-9_]{30,}|(?:AKIA|ASIA)[0-9A-Z]{16}|xox[abposr]-[A-Za-z0-9-]{10,}"
                            + "|AIza[0-9A-Za-z_-]{35}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,})")),
            new Rule(
                    Kind.AWS_SECRET,
                    Pattern.compile(
                            KEY_START.replace("A-Za-z0-9", "A-Za-z0-9/+") + "[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])")),
            new Rule(
                    Kind.PASSWORD,
                    Pattern.compile(
                            "(?i)(?:(?<![A-Za-z0-9])|(?<=\\\\[nrt]))(?:pass(?:word|wd|phrase)?|pwd)(?:\\\\?[\"'])?"
                                    + "(?:\\s*[:=](?!=)\\s*(?:\\\\?[\"'`])?" + SECRET_VALUE
                                    + "|\\s+is\\s+(?:\\\\?[\"'`])?"
                                    + SECRET_VALUE + ")")),
            new Rule(Kind.EMAIL, Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")),
            new Rule(Kind.CARD, Pattern.compile("\\d+(?:[ -]\\d+)*")),
            new Rule(
                    Kind.IPV6,
                    Pattern.compile(
                            "(?i)(?<![0-9a-f:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"
                                    + "|(?:[0-9a-f]{1,4}:){1,7}:|(?:[0-9a-f]{1,4}:){1,6}:[0-9a-f]{1,4}"
                                    + "|(?:[0-9a-f]{1,4}:){1,5}(?::[0-9a-f]{1,4}){1,2}|(?:[0-9a-f]{1,4}:){1,4}(?::[0-9a-f]{1,4}){1,3}"
                                    + "|(?:[0-9a-f]{1,4}:){1,3}(?::[0-9a-f]{1,4}){1,4}|(?:[0-9a-f]{1,4}:){1,2}(?::[0-9a-f]{1,4}){1,5}"
                                    + "|[0-9a-f]{1,4}:(?::[0-9a-f]{1,4}){1,6}|::(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})(?![0-9a-f:])")),
            new Rule(
                    Kind.IPV4,
                    Pattern.compile(
                            "(?<!\\d|\\d\\.|[vV]|[vV]ersion )(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?!\\d|\\.\\d)")),
            new Rule(
                    Kind.PHONE,
                    Pattern.compile("(?<![\\w+.-])\\+?\\(?\\d{1,4}\\)?(?:[ .-]?\\(?\\d{2,4}\\)?){2,5}(?!\\w)")));

    /** The redacted text and what was replaced, by kind. */
    public record Result(String text, Map<Kind, Integer> counts) {}

    public Result redact(String text) {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        String out = text;
        int digits = digits(text);
        for (Rule rule : RULES) {
            if (!mayContain(rule.kind(), out, digits)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(out);
            StringBuilder sb = new StringBuilder();
            int copied = 0;
            int n = 0;
            while (m.find()) {
                int group = 0;
                for (int k = 1; k <= m.groupCount() && group == 0; k++) {
                    group = m.group(k) == null ? 0 : k;
                }
                for (int[] span : spans(rule.kind(), group, m.group(group), m.start(group))) {
                    sb.append(out, copied, span[0]).append(rule.kind().placeholder());
                    copied = span[1];
                    n++;
                }
            }
            if (n > 0) {
                sb.append(out, copied, out.length());
                counts.put(rule.kind(), n);
                out = sb.toString();
            }
        }
        return new Result(out, counts);
    }

    /**
     * The parts of {@code found} (group {@code group} of its pattern, at {@code offset}) to replace:
     * none, all of it, or (cards) some of its digit groups.
     */
    private static List<int[]> spans(Kind kind, int group, String found, int offset) {
        if (kind == Kind.CARD) {
            return CardNumbers.spans(found, offset);
        }
        if (kind == Kind.PASSWORD) {
            String value = found.replaceAll("[.,;:!?)\\]}>]+$", "");
            return password(value, group == 2) ? List.of(new int[] {offset, offset + value.length()}) : List.of();
        }
        return accept(kind, found) ? List.of(new int[] {offset, offset + found.length()}) : List.of();
    }

    /**
     * Whether the value after "password:" (or, when {@code afterIs}, "password is") looks like a
     * password rather than code or prose: not empty, not a placeholder ({@code <...>},
     * {@code ${...}}, {@code ****}), not a call or a literal of code; after "is" it needs a digit
     * or symbol ("the password is required" stays).
     */
    static boolean password(String value, boolean afterIs) {
        if (value.isEmpty() || value.length() > 200 || "<${*%[(".indexOf(value.charAt(0)) >= 0) {
            return false;
        }
        if (value.contains("(")
                || value.contains("[")
                || value.contains("{")
                || NOT_A_PASSWORD.matcher(value).matches()) {
            return false;
        }
        return !afterIs || value.chars().anyMatch(c -> !Character.isLetter(c));
    }

    private static final Pattern NOT_A_PASSWORD = Pattern.compile(
            "(?i)(?:null|none|nil|true|false|undefined|empty|required|optional|string|str|text|password|"
                    + "[a-z_]+\\.[a-z_.]+|\\*+|x+|\\?+|\\.+)");

    /**
     * A cheap necessary condition for {@code kind} to occur in {@code text} ({@code digits}: its
     * digit count), so most texts skip most patterns: redaction ran at a few thousand
     * conversations/s with every pattern on every text.
     */
    private static boolean mayContain(Kind kind, String text, int digits) {
        return switch (kind) {
            case PRIVATE_KEY -> text.contains("PRIVATE KEY-----");
            case URL_CREDENTIALS -> text.contains("://");
            case JWT -> text.contains("eyJ");
            case API_KEY ->
                text.contains("sk-")
                        || text.contains("ghp_")
                        || text.contains("gho_")
                        || text.contains("github_pat_")
                        || text.contains("AKIA")
                        || text.contains("xox")
                        || text.contains("AIza")
                        || text.contains("ASIA")
                        || text.contains("ghs_")
                        || text.contains("ghu_")
                        || text.contains("ghr_")
                        || text.contains("k_live_")
                        || text.contains("k_test_");
            case AWS_SECRET -> hasKeyRun(text);
            case PASSWORD -> PASSWORD_WORD.matcher(text).find();
            case EMAIL -> text.indexOf('@') >= 0;
            case CARD -> digits >= 13;
            case IPV6 ->
                text.contains("::") || text.chars().filter(c -> c == ':').count() >= 7;
            case IPV4 -> digits >= 4 && text.indexOf('.') >= 0;
            case PHONE -> digits >= 9;
        };
    }

    /** Whether {@code text} has a run of at least 40 characters from {@code [A-Za-z0-9/+]}. */
    private static boolean hasKeyRun(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean key =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '+';
            run = key ? run + 1 : 0;
            if (run >= 40) {
                return true;
            }
        }
        return false;
    }

    private static int digits(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                n++;
            }
        }
        return n;
    }

    private static boolean accept(Kind kind, String found) {
        return switch (kind) {
            case PHONE -> phone(found);
            case IPV6 ->
                found.chars().filter(c -> c == ':').count() >= 7
                        || found.equals("::1")
                        || (found.contains("::")
                                && java.util.Arrays.stream(found.split(":"))
                                                .filter(g -> !g.isEmpty())
                                                .count()
                                        >= 2);
            case AWS_SECRET ->
                found.chars().anyMatch(Character::isUpperCase)
                        && found.chars().anyMatch(Character::isLowerCase)
                        && found.chars().anyMatch(Character::isDigit);
            default -> true;
        };
    }

    /**
     * Whether a phone-shaped match is written like a phone number: 9-15 digits; after a {@code +}
     * anything goes; one unbroken run only as 10 digits (or 11 starting with 1); several groups
     * only up to 4 of them, none longer than 8 digits, one of at least 3 (so lists of numbers,
     * decimals and long order numbers stay).
     */
    static boolean phone(String found) {
        long digits = found.chars().filter(Character::isDigit).count();
        if (digits < 9 || digits > 15) {
            return false;
        }
        if (found.startsWith("+")) {
            return true;
        }
        String[] groups = java.util.Arrays.stream(found.split("[^0-9]+"))
                .filter(g -> !g.isEmpty())
                .toArray(String[]::new);
        if (groups.length == 1) {
            return digits == 10 || (digits == 11 && found.charAt(0) == '1');
        }
        return groups.length <= 4
                && java.util.Arrays.stream(groups).anyMatch(g -> g.length() >= 3)
                && java.util.Arrays.stream(groups).allMatch(g -> g.length() <= 8);
    }

    /** The Luhn checksum of a digit string of at least 13 digits. */
    static boolean luhn(String digits) {
        return CardNumbers.luhn(digits);
    }
}
