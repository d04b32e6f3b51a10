package dev.tanrenai.evaluate.report;

import static dev.tanrenai.evaluate.report.ReportText.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Free-form JSON objects (policy values, notes, hyper-parameters, lineage inputs, provenance) as
 * key/value tables, in the JSON's own key order. Scalars print exactly as in the JSON (a seed or a
 * count is not rounded); nested objects become nested tables; arrays of scalars are comma-separated;
 * anything deeper than three levels, or an array holding objects, prints as compact JSON.
 */
final class KeyValues {

    private static final int MAX_DEPTH = 3;

    private KeyValues() {}

    static String table(JsonNode object) {
        return table(object, 0);
    }

    private static String table(JsonNode object, int depth) {
        if (object == null || !object.isObject() || object.isEmpty()) {
            return "<span class=\"none\">none</span>";
        }
        StringBuilder t = new StringBuilder("<table class=\"kv\">\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            t.append("<tr><th>")
                    .append(html(e.getKey()))
                    .append("</th><td>")
                    .append(value(e.getValue(), depth))
                    .append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    private static String value(JsonNode v, int depth) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return ReportText.NONE;
        }
        if (v.isObject()) {
            return depth + 1 < MAX_DEPTH ? table(v, depth + 1) : "<code>" + html(v.toString()) + "</code>";
        }
        if (v.isArray()) {
            boolean scalars = true;
            for (JsonNode e : v) {
                scalars &= e.isValueNode();
            }
            if (!scalars) {
                return "<code>" + html(v.toString()) + "</code>";
            }
            StringBuilder s = new StringBuilder();
            for (JsonNode e : v) {
                s.append(s.isEmpty() ? "" : ", ").append(e.asText());
            }
            return html(s.toString());
        }
        return html(v.asText());
    }
}
