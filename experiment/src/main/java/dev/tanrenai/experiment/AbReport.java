package dev.tanrenai.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code pipeline ab report}: one self-contained HTML page (inline CSS and SVG, no scripts, nothing
 * fetched) with the experiment, where it stands against the sequential test's boundary, each arm's
 * metrics over its recorded evaluations with 95% bands, and sample conversations of both arms.
 */
public final class AbReport {
    private static final int W = 640;
    private static final int H = 200;

    private AbReport() {}

    public static String html(
            Experiment e, Verdict current, List<DecisionRecord> decisions, List<Samples.Pair> samples) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>A/B experiment ")
                .append(esc(e.id()))
                .append(
                        "</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
                                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                                + ".conv{display:flex;gap:1em}.arm{flex:1;border:1px solid #ddd;padding:.5em}"
                                + ".champion{color:#1f5fa8}.challenger{color:#c4571b}pre{white-space:pre-wrap}</style></head><body>");
        h.append("<h1>A/B experiment ").append(esc(e.id())).append("</h1>");
        h.append("<p>Champion <b class=\"champion\">")
                .append(esc(e.championId()))
                .append("</b> against challenger <b class=\"challenger\">")
                .append(esc(e.challengerId()))
                .append("</b> for ")
                .append(Math.round(e.share() * 100))
                .append("% of users, started ")
                .append(e.startedAt())
                .append(" by ")
                .append(esc(e.startedBy()))
                .append(". Status: <b>")
                .append(e.status().wireName())
                .append("</b>")
                .append(e.reason() == null ? "" : " — " + esc(e.reason()))
                .append("</p>");
        h.append("<p>Rules: alpha ")
                .append(e.config().alpha())
                .append(", tau ")
                .append(e.config().tau())
                .append(", at least ")
                .append(e.config().minUsersPerArm())
                .append(" rated users per arm, at most ")
                .append(e.config().maxDuration().toDays())
                .append(" days.</p>");
        if (current != null) {
            h.append("<h2>Where it stands</h2><p>")
                    .append(current.decision().wireName())
                    .append(": ")
                    .append(esc(current.reason()))
                    .append("</p>");
            h.append(table(current));
        }
        List<double[]> rows = series(decisions);
        if (!rows.isEmpty()) {
            h.append("<h2>Rating rate per arm over the evaluations (95% bands)</h2>");
            h.append(chart(rows, new int[][] {{1, 2}, {3, 4}}, new String[] {"#1f5fa8", "#c4571b"}, null));
            h.append("<h2>Effect (challenger minus champion) with its always-valid interval</h2>");
            h.append(chart(rows, new int[][] {{5, 6, 7}}, new String[] {"#333"}, 0.0));
            h.append("<h2>Sequential test: log likelihood ratio and its boundary</h2>");
            h.append(chart(rows, new int[][] {{8}, {9}}, new String[] {"#333", "#c00"}, null));
        } else {
            h.append("<p>No recorded evaluations yet (the serving process and pipeline ab decide record them).</p>");
        }
        h.append("<h2>Sample conversations</h2>");
        if (samples.isEmpty()) {
            h.append("<p>No conversations of this experiment yet.</p>");
        }
        for (Samples.Pair p : samples) {
            h.append("<h3>").append(esc(p.prompt())).append("</h3><div class=\"conv\">");
            for (ExperimentArm arm : ExperimentArm.values()) {
                h.append("<div class=\"arm\"><b class=\"")
                        .append(arm.wireName())
                        .append("\">")
                        .append(arm.wireName());
                Conversation c = p.byArm().get(arm);
                if (c == null) {
                    h.append("</b><p>(no conversation of this kind)</p></div>");
                    continue;
                }
                h.append("</b> <small>").append(esc(c.id())).append("</small>");
                for (Message m : c.messages()) {
                    h.append("<pre><i>")
                            .append(m.role().wireName())
                            .append(":</i> ")
                            .append(esc(m.content()))
                            .append("</pre>");
                }
                h.append("</div>");
            }
            h.append("</div>");
        }
        return h.append("</body></html>").toString();
    }

    private static String table(Verdict v) {
        StringBuilder t = new StringBuilder("<table><tr><th></th><th>users</th><th>rated users</th><th>rating rate</th>"
                + "<th>mean rating</th><th>turns</th><th>errors</th><th>regenerations</th><th>continued</th>"
                + "<th>tool calls</th><th>p50 ms</th><th>p95 ms</th><th>tokens out</th></tr>");
        for (ExperimentArm arm : ExperimentArm.values()) {
            ArmSummary s = arm == ExperimentArm.CHAMPION ? v.champion() : v.challenger();
            t.append("<tr><th class=\"")
                    .append(arm.wireName())
                    .append("\">")
                    .append(arm.wireName())
                    .append("</th>");
            for (Object o : new Object[] {
                s.users(),
                s.ratedUsers(),
                fmt(s.primary().mean()),
                fmt(s.meanRating()),
                s.turns(),
                s.errors(),
                s.regenerations(),
                s.continued(),
                s.toolCallTurns(),
                s.p50LatencyMs(),
                s.p95LatencyMs(),
                s.completionTokens()
            }) {
                t.append("<td>").append(o).append("</td>");
            }
            t.append("</tr>");
        }
        return t.append("</table>").toString();
    }

    /** Per evaluation: index, champion rate, its half band, challenger rate, half band, effect, lower, upper, log LR, boundary. */
    static List<double[]> series(List<DecisionRecord> decisions) {
        List<double[]> rows = new ArrayList<>();
        for (DecisionRecord d : decisions) {
            JsonNode n = d.numbers();
            JsonNode t = n.path("test");
            if (t.isNull() || t.isMissingNode()) {
                continue;
            }
            double ca = n.at("/champion/ratingRate").asDouble();
            double cb = n.at("/challenger/ratingRate").asDouble();
            rows.add(new double[] {
                d.number(),
                ca - 1.96 * n.at("/champion/ratingRateStdError").asDouble(),
                ca + 1.96 * n.at("/champion/ratingRateStdError").asDouble(),
                cb - 1.96 * n.at("/challenger/ratingRateStdError").asDouble(),
                cb + 1.96 * n.at("/challenger/ratingRateStdError").asDouble(),
                t.path("lower").asDouble(),
                t.path("effect").asDouble(),
                t.path("upper").asDouble(),
                t.path("logLikelihoodRatio").asDouble(),
                t.path("boundary").asDouble()
            });
        }
        return rows;
    }

    /**
     * An SVG line chart: each group of columns is one series; a group of 2 is a band (low, high) with its
     * middle line, of 3 a band with the middle column as line, of 1 a line.
     */
    private static String chart(List<double[]> rows, int[][] groups, String[] colours, Double zero) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] r : rows) {
            for (int[] g : groups) {
                for (int c : g) {
                    if (Double.isFinite(r[c])) {
                        min = Math.min(min, r[c]);
                        max = Math.max(max, r[c]);
                    }
                }
            }
        }
        if (zero != null) {
            min = Math.min(min, zero);
            max = Math.max(max, zero);
        }
        if (!(max > min)) {
            max = min + 1;
        }
        StringBuilder s =
                new StringBuilder("<svg width=\"" + W + "\" height=\"" + H + "\" style=\"border:1px solid #eee\">");
        s.append(text(4, 12, fmt(max))).append(text(4, H - 4, fmt(min)));
        if (zero != null) {
            double y = y(zero, min, max);
            s.append("<line x1=\"0\" x2=\"" + W + "\" y1=\"" + y + "\" y2=\"" + y
                    + "\" stroke=\"#999\" stroke-dasharray=\"4\"/>");
        }
        for (int gi = 0; gi < groups.length; gi++) {
            int[] g = groups[gi];
            String colour = colours[gi];
            if (g.length >= 2) {
                int lo = g[0];
                int hi = g[g.length - 1];
                StringBuilder poly = new StringBuilder();
                for (int i = 0; i < rows.size(); i++) {
                    poly.append(x(i, rows.size()))
                            .append(',')
                            .append(y(rows.get(i)[hi], min, max))
                            .append(' ');
                }
                for (int i = rows.size() - 1; i >= 0; i--) {
                    poly.append(x(i, rows.size()))
                            .append(',')
                            .append(y(rows.get(i)[lo], min, max))
                            .append(' ');
                }
                s.append("<polygon points=\"" + poly + "\" fill=\"" + colour + "\" fill-opacity=\"0.2\"/>");
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < rows.size(); i++) {
                double[] r = rows.get(i);
                double v = g.length == 2 ? (r[g[0]] + r[g[1]]) / 2 : g.length == 3 ? r[g[1]] : r[g[0]];
                line.append(x(i, rows.size()))
                        .append(',')
                        .append(y(v, min, max))
                        .append(' ');
            }
            s.append("<polyline points=\"" + line + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\"/>");
        }
        return s.append("</svg>").toString();
    }

    private static String text(int x, int y, String t) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"11\">" + esc(t) + "</text>";
    }

    private static double x(int i, int n) {
        return n <= 1 ? W / 2.0 : 40 + i * (W - 50.0) / (n - 1);
    }

    private static double y(double v, double min, double max) {
        return H - 10 - (v - min) / (max - min) * (H - 20);
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
