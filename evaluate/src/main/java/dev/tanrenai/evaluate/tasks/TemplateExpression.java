package dev.tanrenai.evaluate.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The expressions of a {@link Template} block, with Jinja/Python semantics on document values
 * ({@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List}, {@code Map}).
 *
 * <pre>
 * expr     := filtered (('~' | '+') filtered)*      ~ joins as text; + adds numbers or joins strings
 * filtered := postfix ('|' filter)*                 filters: trim lower upper replace(a, b) join(sep)
 * postfix  := primary ('.' name | '.' method '(' args ')' | '[' expr ']' | '[' [int] ':' [int] ']')*
 * primary  := name | 'string' | "string" | integer | -integer | '[' expr, ... ']' | '(' expr ')'
 * </pre>
 *
 * Methods: on strings {@code split(sep)} (and {@code split()} on white space), {@code strip()},
 * {@code lower()}, {@code upper()}, {@code replace(a, b)}; on lists {@code index(x)}. A name is a
 * field of the document; {@code .name} a key of a mapping. Indices may be negative (from the end).
 * Anything else is an {@link IllegalArgumentException} naming the unsupported syntax.
 */
final class TemplateExpression {

    /** A parsed expression. */
    @FunctionalInterface
    interface Expr {
        Object eval(Map<String, Object> doc);
    }

    private final String src;
    private int at;

    private TemplateExpression(String src) {
        this.src = src;
    }

    static Expr parse(String expression) {
        TemplateExpression p = new TemplateExpression(expression);
        p.skip();
        if (p.at >= p.src.length()) {
            throw new IllegalArgumentException("empty expression {{" + expression + "}}");
        }
        Expr e = p.expr();
        p.skip();
        if (p.at < p.src.length()) {
            throw p.unsupported();
        }
        return e;
    }

    /** How Jinja prints a value into text. */
    static String text(Object v) {
        if (v instanceof String s) {
            return s;
        } else if (v instanceof Long || v instanceof Boolean) {
            return v instanceof Boolean b ? (b ? "True" : "False") : v.toString();
        } else if (v instanceof Double d) {
            return d == Math.rint(d) && !d.isInfinite() ? String.valueOf(d) : d.toString();
        }
        throw new IllegalArgumentException("expected text, got " + YamlTree.Node.typeName(v));
    }

    private Expr expr() {
        Expr left = filtered();
        while (true) {
            skip();
            if (peek('~')) {
                at++;
                Expr l = left;
                Expr r = filtered();
                left = doc -> text(l.eval(doc)) + text(r.eval(doc));
            } else if (peek('+')) {
                at++;
                Expr l = left;
                Expr r = filtered();
                left = doc -> plus(l.eval(doc), r.eval(doc));
            } else {
                return left;
            }
        }
    }

    private Expr filtered() {
        Expr e = postfix();
        while (true) {
            skip();
            if (!peek('|')) {
                return e;
            }
            at++;
            skip();
            String name = name();
            List<Expr> args = optionalArgs();
            e = filter(e, name, args);
        }
    }

    private Expr filter(Expr e, String name, List<Expr> args) {
        return switch (name) {
            case "trim" -> arity(name, args, 0, doc -> string(e.eval(doc), name).strip());
            case "lower" ->
                arity(name, args, 0, doc -> string(e.eval(doc), name).toLowerCase(Locale.ROOT));
            case "upper" ->
                arity(name, args, 0, doc -> string(e.eval(doc), name).toUpperCase(Locale.ROOT));
            case "replace" ->
                arity(name, args, 2, doc -> string(e.eval(doc), name)
                        .replace(
                                string(args.get(0).eval(doc), name),
                                string(args.get(1).eval(doc), name)));
            case "join" -> {
                if (args.size() > 1) {
                    throw new IllegalArgumentException("filter join takes at most one argument");
                }
                yield doc -> {
                    String sep = args.isEmpty() ? "" : string(args.get(0).eval(doc), name);
                    List<String> texts = new ArrayList<>();
                    for (Object o : list(e.eval(doc), name)) {
                        texts.add(text(o));
                    }
                    return String.join(sep, texts);
                };
            }
            default ->
                throw new IllegalArgumentException(
                        "unsupported filter '" + name + "' (supported: trim, lower, upper, replace, join)");
        };
    }

    private Expr postfix() {
        Expr e = primary();
        while (true) {
            skip();
            if (peek('.')) {
                at++;
                skip();
                String name = name();
                skip();
                if (peek('(')) {
                    e = method(e, name, optionalArgs());
                } else {
                    Expr target = e;
                    e = doc -> key(target.eval(doc), name);
                }
            } else if (peek('[')) {
                at++;
                skip();
                Expr from = peek(':') ? null : expr();
                skip();
                if (peek(':')) {
                    at++;
                    skip();
                    Expr to = peek(']') ? null : expr();
                    expect(']');
                    Expr target = e;
                    e = doc -> slice(
                            target.eval(doc), from == null ? null : from.eval(doc), to == null ? null : to.eval(doc));
                } else {
                    expect(']');
                    Expr target = e;
                    e = doc -> subscript(target.eval(doc), from.eval(doc));
                }
            } else {
                return e;
            }
        }
    }

    private Expr method(Expr target, String name, List<Expr> args) {
        return switch (name) {
            case "split" -> {
                if (args.size() > 1) {
                    throw new IllegalArgumentException("split takes at most one argument");
                }
                yield doc -> split(
                        string(target.eval(doc), name),
                        args.isEmpty() ? null : string(args.get(0).eval(doc), name));
            }
            case "strip" ->
                arity(name, args, 0, doc -> string(target.eval(doc), name).strip());
            case "lower" ->
                arity(name, args, 0, doc -> string(target.eval(doc), name).toLowerCase(Locale.ROOT));
            case "upper" ->
                arity(name, args, 0, doc -> string(target.eval(doc), name).toUpperCase(Locale.ROOT));
            case "replace" ->
                arity(name, args, 2, doc -> string(target.eval(doc), name)
                        .replace(
                                string(args.get(0).eval(doc), name),
                                string(args.get(1).eval(doc), name)));
            case "index" ->
                arity(name, args, 1, doc -> {
                    List<?> l = list(target.eval(doc), name);
                    Object x = args.get(0).eval(doc);
                    int i = l.indexOf(x);
                    if (i < 0) {
                        throw new IllegalArgumentException(text(x) + " is not in the list " + l);
                    }
                    return (long) i;
                });
            default ->
                throw new IllegalArgumentException(
                        "unsupported method '" + name + "()' (supported: split, strip, lower, upper, replace, index)");
        };
    }

    private Expr primary() {
        skip();
        if (at >= src.length()) {
            throw new IllegalArgumentException("expression {{" + src + "}} ends early");
        }
        char c = src.charAt(at);
        if (c == '\'' || c == '"') {
            String s = string();
            return doc -> s;
        }
        if (Character.isDigit(c) || (c == '-' && at + 1 < src.length() && Character.isDigit(src.charAt(at + 1)))) {
            int start = at++;
            while (at < src.length() && Character.isDigit(src.charAt(at))) {
                at++;
            }
            if (at < src.length() && src.charAt(at) == '.') {
                throw unsupported();
            }
            long v = Long.parseLong(src.substring(start, at));
            return doc -> v;
        }
        if (c == '(') {
            at++;
            Expr e = expr();
            expect(')');
            return e;
        }
        if (c == '[') {
            at++;
            List<Expr> items = new ArrayList<>();
            skip();
            if (!peek(']')) {
                items.add(expr());
                skip();
                while (peek(',')) {
                    at++;
                    items.add(expr());
                    skip();
                }
            }
            expect(']');
            return doc -> {
                List<Object> out = new ArrayList<>();
                for (Expr i : items) {
                    out.add(i.eval(doc));
                }
                return out;
            };
        }
        if (Character.isLetter(c) || c == '_') {
            String name = name();
            if (name.equals("not")
                    || name.equals("and")
                    || name.equals("or")
                    || name.equals("if")
                    || name.equals("in")
                    || name.equals("is")) {
                throw new IllegalArgumentException("unsupported Jinja operator '" + name + "'");
            }
            return doc -> {
                if (!doc.containsKey(name)) {
                    throw new IllegalArgumentException(
                            "the document has no field '" + name + "' (it has " + doc.keySet() + ")");
                }
                return doc.get(name);
            };
        }
        throw unsupported();
    }

    private List<Expr> optionalArgs() {
        skip();
        List<Expr> args = new ArrayList<>();
        if (!peek('(')) {
            return args;
        }
        at++;
        skip();
        if (peek(')')) {
            at++;
            return args;
        }
        args.add(expr());
        skip();
        while (peek(',')) {
            at++;
            args.add(expr());
            skip();
        }
        expect(')');
        return args;
    }

    private static Expr arity(String name, List<Expr> args, int n, Expr e) {
        if (args.size() != n) {
            throw new IllegalArgumentException(name + " takes " + n + " argument(s), got " + args.size());
        }
        return e;
    }

    private String name() {
        int start = at;
        while (at < src.length() && (Character.isLetterOrDigit(src.charAt(at)) || src.charAt(at) == '_')) {
            at++;
        }
        if (start == at) {
            throw unsupported();
        }
        return src.substring(start, at);
    }

    private String string() {
        char quote = src.charAt(at++);
        StringBuilder out = new StringBuilder();
        while (at < src.length() && src.charAt(at) != quote) {
            char c = src.charAt(at++);
            if (c == '\\' && at < src.length()) {
                char e = src.charAt(at++);
                out.append(
                        switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> e;
                        });
            } else {
                out.append(c);
            }
        }
        if (at >= src.length()) {
            throw new IllegalArgumentException("unterminated string in {{" + src + "}}");
        }
        at++;
        return out.toString();
    }

    private void expect(char c) {
        skip();
        if (!peek(c)) {
            throw at >= src.length()
                    ? new IllegalArgumentException("expected '" + c + "' at the end of {{" + src + "}}")
                    : unsupported();
        }
        at++;
    }

    private boolean peek(char c) {
        return at < src.length() && src.charAt(at) == c;
    }

    private void skip() {
        while (at < src.length() && Character.isWhitespace(src.charAt(at))) {
            at++;
        }
    }

    private IllegalArgumentException unsupported() {
        java.util.regex.Matcher word =
                Pattern.compile("^(if|else|not|and|or|in|is|for)\\b").matcher(src.substring(at));
        if (word.find()) {
            return new IllegalArgumentException(
                    "unsupported Jinja operator '" + word.group(1) + "' in {{" + src + "}}");
        }
        return new IllegalArgumentException(
                "unsupported template syntax '" + src.substring(at) + "' in {{" + src + "}}");
    }

    private static Object plus(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return x + y;
        }
        if (a instanceof String x && b instanceof String y) {
            return x + y;
        }
        throw new IllegalArgumentException(
                "cannot add " + YamlTree.Node.typeName(a) + " and " + YamlTree.Node.typeName(b));
    }

    private static String string(Object v, String op) {
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(op + " needs a string, got " + YamlTree.Node.typeName(v));
    }

    private static List<?> list(Object v, String op) {
        if (v instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException(op + " needs a list, got " + YamlTree.Node.typeName(v));
    }

    private static Object key(Object v, String name) {
        if (v instanceof Map<?, ?> m) {
            if (!m.containsKey(name)) {
                throw new IllegalArgumentException("no key '" + name + "' (keys: " + m.keySet() + ")");
            }
            return m.get(name);
        }
        throw new IllegalArgumentException("." + name + " needs a mapping, got " + YamlTree.Node.typeName(v));
    }

    private static Object subscript(Object v, Object index) {
        if (v instanceof Map<?, ?> && index instanceof String s) {
            return key(v, s);
        }
        if (!(index instanceof Long i)) {
            throw new IllegalArgumentException("an index must be an integer, got " + YamlTree.Node.typeName(index));
        }
        int n = v instanceof String s ? s.length() : list(v, "[index]").size();
        long k = i < 0 ? n + i : i;
        if (k < 0 || k >= n) {
            throw new IllegalArgumentException("index " + i + " is out of range for length " + n);
        }
        return v instanceof String s ? String.valueOf(s.charAt((int) k)) : ((List<?>) v).get((int) k);
    }

    private static Object slice(Object v, Object from, Object to) {
        int n = v instanceof String s ? s.length() : list(v, "[from:to]").size();
        int a = bound(from, 0, n);
        int b = Math.max(a, bound(to, n, n));
        return v instanceof String s ? s.substring(a, b) : new ArrayList<>(((List<?>) v).subList(a, b));
    }

    /** A Python slice bound: negative counts from the end, clamped to [0, n]. */
    private static int bound(Object x, int absent, int n) {
        if (x == null) {
            return absent;
        }
        if (!(x instanceof Long i)) {
            throw new IllegalArgumentException("a slice bound must be an integer");
        }
        long k = i < 0 ? n + i : i;
        return (int) Math.max(0, Math.min(n, k));
    }

    /** Python's {@code str.split(sep)}: empty pieces kept; {@code split()} splits on white-space runs. */
    static List<String> split(String s, String sep) {
        if (sep == null) {
            String t = s.strip();
            return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("split with an empty separator");
        }
        return List.of(s.split(Pattern.quote(sep), -1));
    }
}
