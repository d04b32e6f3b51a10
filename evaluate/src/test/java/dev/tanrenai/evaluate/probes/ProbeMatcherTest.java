package dev.tanrenai.evaluate.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeMatcherTest {

    /** kind, expected (| separates any-of alternatives), ignore case, output, whether it passes. */
    @ParameterizedTest(name = "{0} {1} ic={2} on [{3}] -> {4}")
    @CsvSource(delimiter = ';', textBlock = """
            EXACT;    Paris;          false; '  Paris\\n';       true
            EXACT;    '  Paris ';     false; Paris;              true
            EXACT;    Paris;          false; Paris.;             false
            EXACT;    Paris;          false; paris;              false
            EXACT;    Paris;          true;  ' PARIS ';          true
            EXACT;    Paris;          false; The capital is Paris; false
            EXACT;    Rome|Paris;     false; Paris;              true
            CONTAINS; Paris;          false; The capital is Paris.; true
            CONTAINS; Paris;          false; the capital is paris.; false
            CONTAINS; Paris;          true;  THE CAPITAL IS PARIS.; true
            CONTAINS; Rome|Berlin;    false; Paris;              false
            CONTAINS; Rome|is P;      false; It is Paris;        true
            CONTAINS; ' Paris';       false; Paris;              false
            REGEX;    \\bcat\\b;      false; a cat sat;          true
            REGEX;    \\bcat\\b;      false; concatenate;        false
            REGEX;    ^cat$;          false; a cat;              false
            REGEX;    ^cat$;          false; cat;                true
            REGEX;    CAT;            false; a cat;              false
            REGEX;    CAT;            true;  a cat;              true
            REGEX;    dog|c.t;        false; a cut;              true
            REGEX;    [0-9]+ apples;  false; I have 12 apples;   true
            """)
    void matches(String kind, String expected, boolean ignoreCase, String output, boolean passes) {
        Probe.Kind k = Probe.Kind.valueOf(kind);
        // for regexes '|' is the regex's own alternation: a single pattern
        List<String> anyOf = k == Probe.Kind.REGEX ? List.of(expected) : List.of(expected.split("\\|"));
        Probe.Expectation e = new Probe.Expectation(k, anyOf, ignoreCase);
        assertEquals(passes, ProbeMatcher.matches(e, output.replace("\\n", "\n")));
    }

    @ParameterizedTest
    @CsvSource({"EXACT", "CONTAINS", "REGEX"})
    void emptyExpectationsAreRejectedBecauseTheyCannotFail(String kind) {
        Probe.Kind k = Probe.Kind.valueOf(kind);
        assertThrows(IllegalArgumentException.class, () -> Probe.Expectation.of(k, " ", false));
        assertThrows(IllegalArgumentException.class, () -> new Probe.Expectation(k, List.of(), false));
    }
}
