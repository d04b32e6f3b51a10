package dev.tanrenai.evaluate.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code doc_to_text}/{@code doc_to_target}/{@code doc_to_choice}/{@code description} template: a
 * small subset of the Jinja lm-evaluation-harness renders, checked when the task file is read.
 *
 * <ul>
 *   <li>Text with {@code {{ expression }}} blocks; {@code {% %}} statements and {@code {# #}} comments
 *       are not supported. Expressions: see {@link TemplateExpression}.
 *   <li>lm-eval's rule for a template without {@code {{}}}: when it is the name of a field of the
 *       document, it selects that field's value (of any type); otherwise it is literal text.
 *   <li>A template that is exactly one {@code {{ expression }}} yields the expression's value (a list
 *       stays a list, an integer an integer): what lm-eval gets by rendering and then
 *       {@code ast.literal_eval}-ing the text.
 * </ul>
 */
final class Template {

    private final String source;
    private final String file;
    private final int line;
    private final String field;
    private final List<Object> parts; // String literals and TemplateExpression.Expr
    private final boolean bare;

    private Template(String source, String file, int line, String field, List<Object> parts, boolean bare) {
        this.source = source;
        this.file = file;
        this.line = line;
        this.field = field;
        this.parts = List.copyOf(parts);
        this.bare = bare;
    }

    /** Parses {@code source}, the value of {@code field} on {@code line} of {@code file}. */
    static Template parse(String source, String file, int line, String field) {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        boolean any = false;
        while (at < source.length()) {
            int open = source.indexOf('{', at);
            while (open >= 0 && open + 1 < source.length() && "{%#".indexOf(source.charAt(open + 1)) < 0) {
                open = source.indexOf('{', open + 1);
            }
            if (open < 0 || open + 1 >= source.length()) {
                parts.add(source.substring(at));
                break;
            }
            char kind = source.charAt(open + 1);
            if (kind == '%' || kind == '#') {
                throw new TaskFileException(
                        file,
                        line,
                        field,
                        "Jinja " + (kind == '%' ? "statements {% ... %}" : "comments {# ... #}")
                                + " are not supported (only {{ expression }} blocks): " + source);
            }
            if (open > at) {
                parts.add(source.substring(at, open));
            }
            int close = source.indexOf("}}", open + 2);
            if (close < 0) {
                throw new TaskFileException(file, line, field, "'{{' without a closing '}}' in: " + source);
            }
            String expression = source.substring(open + 2, close);
            try {
                parts.add(TemplateExpression.parse(expression));
            } catch (IllegalArgumentException e) {
                throw new TaskFileException(file, line, field, e.getMessage() + " in template: " + source, e);
            }
            any = true;
            at = close + 2;
        }
        return new Template(source, file, line, field, parts, !any);
    }

    /** A constant template (for defaults that are not in the file). */
    static Template literal(String text, String field) {
        return new Template(text, "(default)", 0, field, List.of(text), false);
    }

    String source() {
        return source;
    }

    /** The value for {@code doc} (a field value, an expression value, or the rendered text). */
    Object evaluate(Map<String, Object> doc, int docIndex) {
        if (bare) {
            return doc.containsKey(source) ? doc.get(source) : source;
        }
        try {
            if (parts.size() == 1 && parts.get(0) instanceof TemplateExpression.Expr e) {
                return e.eval(doc);
            }
            StringBuilder out = new StringBuilder();
            for (Object p : parts) {
                out.append(p instanceof TemplateExpression.Expr e ? TemplateExpression.text(e.eval(doc)) : p);
            }
            return out.toString();
        } catch (IllegalArgumentException e) {
            throw failure(docIndex, e.getMessage(), e);
        }
    }

    /** The rendered text for {@code doc}: the value must be a string or a number. */
    String text(Map<String, Object> doc, int docIndex) {
        Object v = evaluate(doc, docIndex);
        try {
            return TemplateExpression.text(v);
        } catch (IllegalArgumentException e) {
            throw failure(docIndex, e.getMessage(), e);
        }
    }

    TaskFileException failure(int docIndex, String problem, Throwable cause) {
        return new TaskFileException(
                file, line, field, "document " + docIndex + ": " + problem + " (template: " + source + ")", cause);
    }

    @Override
    public String toString() {
        return source;
    }
}
