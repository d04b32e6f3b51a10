package dev.tanrenai.evaluate.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number formatting and HTML escaping shared by the renderers.
 *
 * <ul>
 *   <li>{@link #num}: 4 significant digits, half-up, trailing zeros dropped ({@code 1.23456 → 1.235},
 *       {@code 0.000123456 → 0.0001235}); magnitudes ≥ 10,000 round to an integer ({@code 12345.6 →
 *       12346}); below 0.0001 in scientific notation ({@code 1.235e-05}); null is "—".
 *   <li>{@link #signed}: the same with an explicit sign for differences ({@code +0.01234}).
 *   <li>{@link #pValue}: 3 significant digits ({@code 0.0215}); below 0.0001 it reads {@code < 0.0001}.
 *   <li>{@link #percent}: a share in [0, 1] as a percentage with 4 significant digits ({@code 0.8765 →
 *       87.65%}).
 * </ul>
 */
final class ReportText {

    /** Shown for a number or field that is absent. */
    static final String NONE = "—";

    private ReportText() {}

    static String num(Double value) {
        if (value == null) {
            return NONE;
        }
        double x = value;
        if (x == 0) {
            return "0";
        }
        double abs = Math.abs(x);
        if (abs >= 10_000) {
            return new BigDecimal(x).setScale(0, RoundingMode.HALF_UP).toPlainString();
        }
        if (abs < 1e-4) {
            return String.format(java.util.Locale.ROOT, "%.3e", x);
        }
        return significant(x, 4);
    }

    static String signed(Double value) {
        if (value == null) {
            return NONE;
        }
        String s = num(value);
        return value > 0 ? "+" + s : s;
    }

    static String pValue(double p) {
        if (p < 1e-4) {
            return "< 0.0001";
        }
        return significant(p, 3);
    }

    static String percent(Double share) {
        return share == null ? NONE : significant(share * 100, 4) + "%";
    }

    /** {@code [low, high]}, or "—" if either end is absent. */
    static String interval(Double low, Double high) {
        if (low == null || high == null) {
            return NONE;
        }
        return "[" + signed(low) + ", " + signed(high) + "]";
    }

    private static String significant(double x, int digits) {
        BigDecimal rounded = new BigDecimal(x).round(new MathContext(digits, RoundingMode.HALF_UP));
        String plain = rounded.stripTrailingZeros().toPlainString();
        return plain.equals("-0") ? "0" : plain;
    }

    /** Escapes {@code & < > " '} so any text is safe in HTML content and in quoted attributes. */
    static String html(String text) {
        if (text == null) {
            return NONE;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The first 12 hex digits of a SHA-256 (the whole value goes in a title attribute). */
    static String shortSha(String sha) {
        return sha == null ? NONE : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
