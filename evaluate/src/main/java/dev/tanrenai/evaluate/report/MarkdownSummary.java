package dev.tanrenai.evaluate.report;

import static dev.tanrenai.evaluate.report.ReportText.interval;
import static dev.tanrenai.evaluate.report.ReportText.num;
import static dev.tanrenai.evaluate.report.ReportText.signed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.evaluate.report.EvaluationReport.Check;
import dev.tanrenai.evaluate.report.EvaluationReport.MetricResult;
import dev.tanrenai.evaluate.report.EvaluationReport.SuiteResult;

/**
 * A short Markdown summary of an evaluation to paste into a chat or a pull request: the decision with
 * its summary (and the forced reason, if forced), candidate vs champion, a checks table (failed
 * first: name | result | observed, threshold and 95% CI) and one line per suite with its first metric's
 * champion → candidate value and difference with CI. Cell text has {@code |} and line breaks escaped.
 * Checks beyond the 12th are counted, not listed, so the summary stays near 25 lines.
 */
public final class MarkdownSummary {

    private static final int MAX_CHECKS = 12;

    private MarkdownSummary() {}

    /**
     * @throws IllegalArgumentException naming the JSON path of a missing or malformed required field
     */
    public static String render(JsonNode report) {
        return render(ReportReader.read(report));
    }

    public static String render(EvaluationReport r) {
        StringBuilder md = new StringBuilder();
        md.append("**")
                .append(r.decision().name())
                .append(r.forced() ? " (FORCED)" : "")
                .append("** ")
                .append(cell(r.summary()))
                .append('\n');
        if (r.forced()) {
            md.append("> Forced by hand: ").append(cell(r.forceReason())).append('\n');
        }
        md.append("\nCandidate `")
                .append(cell(r.candidate().describe()))
                .append("` vs champion `")
                .append(cell(r.baseline().describe()))
                .append("` (evaluation `")
                .append(cell(r.id()))
                .append("`)\n\n");
        long passed = r.checks().stream().filter(Check::passed).count();
        md.append("| check | result | numbers |\n|---|---|---|\n");
        var ordered = java.util.stream.Stream.concat(
                        r.checks().stream().filter(c -> !c.passed()),
                        r.checks().stream().filter(Check::passed))
                .toList();
        ordered.stream().limit(MAX_CHECKS).forEach(c -> md.append("| ")
                .append(cell(c.name()))
                .append(" | ")
                .append(c.passed() ? "pass" : "**FAIL**")
                .append(" | ")
                .append(numbers(c))
                .append(" |\n"));
        if (ordered.size() > MAX_CHECKS) {
            md.append("| … ").append(ordered.size() - MAX_CHECKS).append(" more | | |\n");
        }
        md.append('\n').append(passed).append('/').append(r.checks().size()).append(" checks passed.\n\n");
        for (SuiteResult s : r.suites()) {
            md.append("- **")
                    .append(cell(s.id()))
                    .append("** (")
                    .append(s.items())
                    .append(" items)");
            if (s.metrics().isEmpty()) {
                md.append(": no metrics\n");
                continue;
            }
            MetricResult m = s.metrics().get(0);
            md.append(": ")
                    .append(cell(m.name()))
                    .append(' ')
                    .append(num(m.baseline()))
                    .append(" → ")
                    .append(num(m.candidate()))
                    .append(" (")
                    .append(signed(m.difference()))
                    .append(", 95% CI ")
                    .append(interval(m.ciLow(), m.ciHigh()))
                    .append(")");
            if (s.kl() != null) {
                md.append("; KL mean ")
                        .append(num(s.kl().mean()))
                        .append(", p99 ")
                        .append(num(s.kl().p99()));
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String numbers(Check c) {
        StringBuilder s = new StringBuilder();
        if (c.observed() != null) {
            s.append("observed ").append(num(c.observed()));
        }
        if (c.threshold() != null) {
            s.append(s.isEmpty() ? "" : ", ").append("threshold ").append(num(c.threshold()));
        }
        if (c.ciLow() != null && c.ciHigh() != null) {
            s.append(s.isEmpty() ? "" : ", ").append("CI ").append(interval(c.ciLow(), c.ciHigh()));
        }
        return s.isEmpty() ? cell(c.reason()) : s.toString();
    }

    /** Text safe inside a Markdown table cell or inline span: no pipe, backtick or line break. */
    static String cell(String text) {
        return text.replace("\\", "\\\\")
                .replace("|", "\\|")
                .replace("`", "'")
                .replace("\r", " ")
                .replace("\n", " ");
    }
}
