package dev.tanrenai.pipelines.loop;

import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The run report: one self-contained HTML page per run, linking the evaluation's report. */
public final class RunReport {

    private RunReport() {}

    public static Path write(RunRecord r, TanrenaiConfig config) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Nightly run ")
                .append(esc(r.id()))
                .append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
                        + ".failed{color:#b00}.promoted{color:#070}.refused{color:#a60}</style></head><body>");
        h.append("<h1>Nightly run ").append(esc(r.id())).append("</h1>");
        h.append("<p>State: <b class=\"")
                .append(r.state().label())
                .append("\">")
                .append(r.state().label())
                .append("</b>");
        if (r.reason() != null) {
            h.append(" — ").append(esc(r.reason()));
        }
        h.append("</p><p>Trigger: ").append(r.trigger().label());
        if (r.resumes() != null) {
            h.append(" (resumes ").append(esc(r.resumes())).append(")");
        }
        h.append("; started ")
                .append(r.started())
                .append("; ended ")
                .append(r.ended() == null ? "-" : r.ended())
                .append("</p>");
        if (r.error() != null) {
            h.append("<p class=\"failed\">Error in stage ")
                    .append(r.errorStage() == null ? "?" : r.errorStage().label())
                    .append(": ")
                    .append(esc(r.error()))
                    .append("</p>");
        }
        h.append("<table><tr><th>stage</th><th>state</th><th>seconds</th><th>attempts</th><th>input</th>"
                + "<th>output</th><th>counts</th><th>result</th></tr>");
        for (StageRecord s : r.stages()) {
            h.append("<tr><td>")
                    .append(s.stage().label())
                    .append("</td><td>")
                    .append(s.state())
                    .append("</td><td>")
                    .append(s.seconds() == null ? "-" : String.format(Locale.ROOT, "%.1f", s.seconds()))
                    .append("</td><td>")
                    .append(s.attempts())
                    .append("</td><td>")
                    .append(shortHash(s.inputHash()))
                    .append("</td><td>")
                    .append(shortHash(s.outputHash()))
                    .append("</td><td>")
                    .append(esc(s.counts().toString()))
                    .append("</td><td>");
            s.output().forEach((k, v) -> {
                if (k.equals("trainedOn")) {
                    return;
                }
                h.append(esc(k)).append(": ");
                if (k.equals("report")) {
                    Path report = Path.of(String.valueOf(v));
                    h.append("<a href=\"")
                            .append(esc(report.toUri().toString()))
                            .append("\">evaluation report</a>");
                } else {
                    h.append(esc(String.valueOf(v)));
                }
                h.append("<br>");
            });
            if (s.error() != null) {
                h.append("<span class=\"failed\">").append(esc(s.error())).append("</span>");
            }
            h.append("</td></tr>");
        }
        h.append("</table><p>Log: <a href=\"run.log\">run.log</a></p></body></html>\n");
        Path file = r.reportFile();
        Files.createDirectories(file.getParent());
        Files.writeString(file, h.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static String shortHash(String h) {
        return h == null ? "-" : esc(h.length() > 12 ? h.substring(0, 12) : h);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
