package dev.tanrenai.curate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Payment card numbers for {@link Redactor}: Luhn-valid windows of whole digit groups. */
final class CardNumbers {

    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private CardNumbers() {}

    /**
     * In a run of digit groups (separated by single spaces or dashes), the windows of whole groups
     * that hold 13-19 digits and pass the Luhn check, longest first and not overlapping: so a card
     * that follows or precedes other numbers ("order 12 4111 1111 1111 1111") is still found. A
     * window of several groups needs groups of at least 3 digits, as cards are written (4-4-4-4,
     * 4-6-5), so lists of small numbers stay.
     */
    static List<int[]> spans(String run, int offset) {
        List<int[]> groups = new ArrayList<>(); // {start, end} within run
        Matcher g = DIGITS.matcher(run);
        while (g.find()) {
            groups.add(new int[] {g.start(), g.end()});
        }
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        while (i < groups.size()) {
            int best = -1;
            for (int j = groups.size() - 1; j >= i && best < 0; j--) {
                if (window(run, groups, i, j)) {
                    best = j;
                }
            }
            if (best < 0) {
                i++;
                continue;
            }
            spans.add(new int[] {offset + groups.get(i)[0], offset + groups.get(best)[1]});
            i = best + 1;
        }
        return spans;
    }

    private static boolean window(String run, List<int[]> groups, int from, int to) {
        StringBuilder digits = new StringBuilder();
        for (int k = from; k <= to; k++) {
            int[] group = groups.get(k);
            if (from != to && group[1] - group[0] < 3) {
                return false;
            }
            digits.append(run, group[0], group[1]);
        }
        return digits.length() <= 19 && luhn(digits.toString());
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
