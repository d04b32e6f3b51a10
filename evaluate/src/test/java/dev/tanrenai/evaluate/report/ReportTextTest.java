package dev.tanrenai.evaluate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTextTest {

    @Test
    void numbersHaveFourSignificantDigits() {
        assertEquals("1.235", ReportText.num(1.23456));
        assertEquals("0.0001235", ReportText.num(0.000123456));
        assertEquals("-0.04123", ReportText.num(-0.0412345));
        assertEquals("1.225", ReportText.num(1.2251));
        assertEquals("2.5", ReportText.num(2.5));
        assertEquals("1000", ReportText.num(999.96));
        assertEquals("12346", ReportText.num(12345.6));
        assertEquals("1.235e-05", ReportText.num(1.23456e-5));
        assertEquals("0", ReportText.num(0.0));
        assertEquals("—", ReportText.num(null));
    }

    @Test
    void differencesCarryASignAndIntervalsBothEnds() {
        assertEquals("+0.01234", ReportText.signed(0.012341));
        assertEquals("-0.5", ReportText.signed(-0.5));
        assertEquals("0", ReportText.signed(0.0));
        assertEquals("[-0.0612, +0.0213]", ReportText.interval(-0.0612, 0.0213));
        assertEquals("—", ReportText.interval(null, 0.1));
    }

    @Test
    void pValuesHaveThreeSignificantDigitsAndAFloor() {
        assertEquals("0.0215", ReportText.pValue(0.02148));
        assertEquals("0.5", ReportText.pValue(0.5));
        assertEquals("1", ReportText.pValue(1.0));
        assertEquals("0.000123", ReportText.pValue(0.0001234));
        assertEquals("< 0.0001", ReportText.pValue(0.00001));
        assertEquals("87.65%", ReportText.percent(0.8765));
    }

    @Test
    void escapesEveryHtmlSpecialCharacter() {
        assertEquals(
                "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
                ReportText.html("<a href=\"x\" title='y'>&</a>"));
    }

    @Test
    void scaleMapsEndsAndPicksRoundTicks() {
        Scale s = Scale.of(List.of(0.0, 10.0), 100, 200);
        // padded by 8% of the range of 10: [-0.8, 10.8]
        assertEquals(-0.8, s.lo(), 1e-12);
        assertEquals(10.8, s.hi(), 1e-12);
        assertEquals(100, s.at(-0.8), 1e-9);
        assertEquals(200, s.at(10.8), 1e-9);
        // 11.6 / 5 = 2.32 -> step 2
        assertEquals(List.of(0.0, 2.0, 4.0, 6.0, 8.0, 10.0), s.ticks());
        Scale flat = Scale.of(List.of(0.0), 0, 1);
        assertEquals(-1, flat.lo(), 0);
        assertEquals(1, flat.hi(), 0);
        assertThrows(IllegalArgumentException.class, () -> new Scale(1, 1, 0, 1));
    }
}
