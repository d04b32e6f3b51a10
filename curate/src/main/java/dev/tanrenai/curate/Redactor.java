package dev.tanrenai.curate;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets and personal data in text with typed placeholders such as {@code <EMAIL>}:
 * private-key blocks, credentials in URLs, JWTs, API keys and tokens ({@code sk-}, {@code ghp_},
 * {@code github_pat_}, {@code AKIA}, {@code xox?-}), e-mail addresses, payment cards (Luhn-checked,
 * so order numbers stay), IPv6 and IPv4 addresses, phone numbers. Patterns run most specific first.
 */
public final class Redactor implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What was found. */
    public enum Kind {
        PRIVATE_KEY,
        URL_CREDENTIALS,
        JWT,
        API_KEY,
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

    private static final List<Rule> RULES = List.of(
            new Rule(
                    Kind.PRIVATE_KEY,
                    Pattern.compile(
                            "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----")),
            new Rule(Kind.URL_CREDENTIALS, Pattern.compile("(?<=://)[^\\s:/@]+:[^\\s/@]+(?=@)")),
            new Rule(Kind.JWT, Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}")),
            new Rule(
                    Kind.API_KEY,
                    Pattern.compile("\\b(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}|ghp_[A-Za-z0-9]{30,}"
                            + "|gho_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|AKIA[0-9A-Z]{16}|xox[abposr]-[A-Za-z0-9-]{10,}"
                            + "|AIza[0-9A-Za-z_-]{35})")),
            new Rule(Kind.EMAIL, Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")),
            new Rule(Kind.CARD, Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])")),
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
                            "(?<![\\d.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\d.])")),
            new Rule(
                    Kind.PHONE,
                    Pattern.compile("(?<![\\w+])\\+?\\(?\\d{1,4}\\)?(?:[ .-]?\\(?\\d{2,4}\\)?){2,5}(?!\\w)")));

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
            int n = 0;
            while (m.find()) {
                String found = m.group();
                if (!accept(rule.kind(), found)) {
                    m.appendReplacement(sb, Matcher.quoteReplacement(found));
                    continue;
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(rule.kind().placeholder()));
                n++;
            }
            m.appendTail(sb);
            if (n > 0) {
                counts.put(rule.kind(), n);
                out = sb.toString();
            }
        }
        return new Result(out, counts);
    }

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
                        || text.contains("AIza");
            case EMAIL -> text.indexOf('@') >= 0;
            case CARD -> digits >= 13;
            case IPV6 ->
                text.contains("::") || text.chars().filter(c -> c == ':').count() >= 7;
            case IPV4 -> digits >= 4 && text.indexOf('.') >= 0;
            case PHONE -> digits >= 9;
        };
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
            case CARD -> luhn(found.replaceAll("[ -]", ""));
            case PHONE -> {
                long digits = found.chars().filter(Character::isDigit).count();
                yield digits >= 9 && digits <= 15;
            }
            case IPV6 ->
                found.chars().filter(c -> c == ':').count() >= 7
                        || found.equals("::1")
                        || (found.contains("::")
                                && java.util.Arrays.stream(found.split(":"))
                                                .filter(g -> !g.isEmpty())
                                                .count()
                                        >= 2);
            default -> true;
        };
    }

    /** The Luhn checksum of a digit string. */
    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return digits.length() >= 13 && sum % 10 == 0;
    }
}
