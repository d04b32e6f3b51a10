package dev.tanrenai.evaluate.report;

import static dev.tanrenai.evaluate.report.ReportText.html;
import static dev.tanrenai.evaluate.report.ReportText.interval;
import static dev.tanrenai.evaluate.report.ReportText.num;
import static dev.tanrenai.evaluate.report.ReportText.shortSha;

import dev.tanrenai.evaluate.report.EvaluationReport.Check;
import dev.tanrenai.evaluate.report.EvaluationReport.Party;

/**
 * The top of the report: the banner (PROMOTE or REFUSE with the one-sentence summary), a loud notice
 * when the decision was forced (with its reason), who was compared, and the checks table: every check
 * with pass/fail, observed value, threshold, 95% CI and its reason in words. Failed checks come first.
 */
final class DecisionSection {

    private DecisionSection() {}

    static String render(EvaluationReport r) {
        StringBuilder out = new StringBuilder();
        String word = r.decision().word();
        out.append("<header id=\"decision\" class=\"banner ")
                .append(word)
                .append("\" data-decision=\"")
                .append(word)
                .append("\">\n<div class=\"verdict\">")
                .append(r.decision().name())
                .append(r.forced() ? " (FORCED)" : "")
                .append("</div>\n<div class=\"summary\">")
                .append(html(r.summary()))
                .append("</div>\n</header>\n");
        if (r.forced()) {
            out.append("<div id=\"forced\" class=\"forced\">FORCED: the gate was overridden by hand. Reason: ")
                    .append(html(r.forceReason()))
                    .append("</div>\n");
        }
        out.append("<p class=\"meta\">Evaluation <code>")
                .append(html(r.id()))
                .append("</code>, created ")
                .append(html(r.createdAt()))
                .append(". Policy: ")
                .append(html(r.policy().source()))
                .append(" (<span class=\"sha\" title=\"")
                .append(html(r.policy().sha256()))
                .append("\">")
                .append(html(shortSha(r.policy().sha256())))
                .append("</span>).</p>\n");
        out.append(
                        "<table id=\"parties\">\n<tr><th></th><th>model</th><th>base SHA-256</th><th>adapter SHA-256</th></tr>\n")
                .append(party("candidate", r.candidate()))
                .append(party("champion (baseline)", r.baseline()))
                .append("</table>\n");
        out.append(HtmlPage.section("checks", "Checks", checks(r)));
        return out.toString();
    }

    private static String party(String role, Party p) {
        return "<tr><th>" + html(role) + "</th><td>" + html(p.describe()) + " <code>" + html(p.id())
                + "</code></td><td>" + sha(p.baseSha256()) + "</td><td>" + sha(p.adapterSha256()) + "</td></tr>\n";
    }

    private static String sha(String sha) {
        if (sha == null) {
            return "<span class=\"none\">none</span>";
        }
        return "<span class=\"sha\" title=\"" + html(sha) + "\">" + html(shortSha(sha)) + "</span>";
    }

    private static String checks(EvaluationReport r) {
        if (r.checks().isEmpty()) {
            return HtmlPage.none("No checks were run: nothing supports this decision.");
        }
        long failed = r.checks().stream().filter(c -> !c.passed()).count();
        StringBuilder t = new StringBuilder("<p>")
                .append(r.checks().size() - failed)
                .append(" of ")
                .append(r.checks().size())
                .append(" checks passed.</p>\n<table class=\"checks\">\n<tr><th>check</th><th>result</th><th>suite</th>"
                        + "<th>metric</th><th>kind</th><th>observed</th><th>threshold</th><th>95% CI</th>"
                        + "<th>reason</th></tr>\n");
        r.checks().stream().filter(c -> !c.passed()).forEach(c -> t.append(row(c)));
        r.checks().stream().filter(Check::passed).forEach(c -> t.append(row(c)));
        return t.append("</table>\n").toString();
    }

    private static String row(Check c) {
        return "<tr class=\"" + (c.passed() ? "pass" : "fail") + "\"><td>" + html(c.name())
                + "</td><td class=\"result\">"
                + (c.passed() ? "PASS" : "FAIL") + "</td><td>" + html(c.suite()) + "</td><td>"
                + html(c.metric() == null ? ReportText.NONE : c.metric()) + "</td><td>" + html(c.kind())
                + "</td><td class=\"n\">" + html(num(c.observed())) + "</td><td class=\"n\">" + html(num(c.threshold()))
                + "</td><td class=\"n\">" + html(interval(c.ciLow(), c.ciHigh())) + "</td><td>" + html(c.reason())
                + "</td></tr>\n";
    }
}
