package dev.tanrenai.evaluate.report;

import static dev.tanrenai.evaluate.report.ReportText.html;

/**
 * The page skeleton: an HTML5 document with its CSS inline and nothing loaded from anywhere (no
 * script, font, image, stylesheet or URL), so the file reads the same offline, attached to a chat, or
 * opened from an archive years later. The system font stack is used.
 */
final class HtmlPage {

    private HtmlPage() {}

    static final String CSS = """
            :root { --ok: #1a7f37; --bad: #cf222e; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; }
            * { box-sizing: border-box; }
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
                   margin: 0 auto; max-width: 1040px; padding: 24px; background: #fff; }
            h1 { font-size: 22px; margin: 0 0 8px; } h2 { font-size: 18px; margin: 28px 0 8px;
                   border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 15px; margin: 18px 0 6px; }
            .banner { border-radius: 8px; padding: 16px 20px; color: #fff; margin-bottom: 12px; }
            .banner.promote { background: var(--ok); } .banner.refuse { background: var(--bad); }
            .banner .verdict { font-size: 28px; font-weight: 700; letter-spacing: .06em; }
            .banner .summary { font-size: 15px; margin-top: 4px; }
            .forced { border: 3px solid #9a6700; background: #fff8c5; color: #4d2d00; padding: 10px 14px;
                   border-radius: 6px; font-weight: 700; margin-bottom: 12px; }
            .meta { color: var(--muted); font-size: 13px; }
            table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
            th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
            th { background: var(--bg); font-weight: 600; } td.n { text-align: right; font-variant-numeric: tabular-nums;
                   white-space: nowrap; }
            tr.fail td.result { color: var(--bad); font-weight: 700; } tr.pass td.result { color: var(--ok); font-weight: 700; }
            .kv th { width: 28%; } .kv .kv { margin: 0; }
            .suite { border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 12px; margin: 14px 0; }
            .itemtext { white-space: pre-wrap; max-height: 12em; overflow: auto; font: 12px/1.4 ui-monospace, monospace; }
            code, .sha { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
            svg.chart { display: block; max-width: 100%; height: auto; margin: 8px 0; background: #fff; }
            svg .axis { stroke: #57606a; stroke-width: 1; } svg .zero { stroke: #1f2328; stroke-width: 1.5; }
            svg .whisker { stroke: #1f2328; stroke-width: 2; } svg .threshold { stroke: #9a6700; stroke-width: 2;
                   stroke-dasharray: 5 3; }
            svg .estimate.better { fill: var(--ok); } svg .estimate.worse { fill: var(--bad); }
            svg .estimate.unclear { fill: #8c959f; } svg .bar { fill: #54aeff; }
            svg .marker { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 3 2; }
            svg .loss { fill: none; stroke: #0969da; stroke-width: 2; }
            svg text { font: 11px system-ui, sans-serif; fill: #1f2328; } svg .axis-label { fill: var(--muted); }
            svg .missing { fill: var(--muted); font-style: italic; }
            .none { color: var(--muted); font-style: italic; }
            """;

    /** The whole document around {@code body} (already HTML). */
    static String document(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + html(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n"
                + body + "</body>\n</html>\n";
    }

    /** A section with an id and heading. */
    static String section(String id, String heading, String content) {
        return "<section id=\"" + html(id) + "\">\n<h2>" + html(heading) + "</h2>\n" + content + "</section>\n";
    }

    /** A muted line saying a section has nothing to show. */
    static String none(String what) {
        return "<p class=\"none\">" + html(what) + "</p>\n";
    }
}
