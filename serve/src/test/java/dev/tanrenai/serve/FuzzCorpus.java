package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.serve.RawHttp.Step;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fixed, bounded corpus of hostile HTTP requests for the endpoint, each as the exact bytes a client
 * sends (with pauses): malformed JSON cut at every byte, every field given every wrong type, absurd
 * sizes, header and chunking edge cases, and slow or never-finishing bodies. Deterministic: the same
 * cases every run.
 */
final class FuzzCorpus {
    private FuzzCorpus() {}

    /** One hostile request; {@code clientError} when only a 4xx is right (else any status below 500). */
    record Case(String kind, String name, List<Step> steps, boolean clientError) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String CHAT_PATH = "/v1/chat/completions";

    /** A valid chat request with a non-ASCII character (cuts fall inside it too). */
    static final String VALID = "{\"model\":\"tanrenai\",\"messages\":[{\"role\":\"user\",\"content\":\"hi é\"}],"
            + "\"max_tokens\":2,\"temperature\":0,\"stop\":[\"\\n\"],\"seed\":1,\"user\":\"fz\"}";

    /** Values of every JSON type, and the edges of numbers. */
    static final List<String> VALUES = List.of(
            "null",
            "true",
            "0",
            "-1",
            "1.5",
            "1e308",
            "-1e308",
            "1e999",
            "99999999999999999999999",
            "\"\"",
            "\"x\"",
            "[]",
            "[1,{}]",
            "{}",
            "{\"a\":[null]}");

    static List<Case> all(long maxBodyBytes) {
        List<Case> cases = new ArrayList<>();
        cutPoints(cases);
        wrongTypes(cases);
        absurdSizes(cases, maxBodyBytes);
        headersAndChunking(cases);
        slowBodies(cases);
        return cases;
    }

    /** The valid request cut after every byte: never complete JSON, always a 400. */
    static void cutPoints(List<Case> cases) {
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut < valid.length; cut++) {
            byte[] body = Arrays.copyOf(valid, cut);
            cases.add(new Case("cut", "cut at byte " + cut, List.of(bytes(post(CHAT_PATH, body))), true));
        }
        String feedback = "{\"conversation_id\":\"c-1\",\"rating\":\"up\",\"comment\":\"ok\"}";
        for (int cut = 1; cut < feedback.length(); cut += 7) {
            cases.add(new Case(
                    "cut",
                    "feedback cut at " + cut,
                    List.of(Step.of(RawHttp.post("/v1/feedback", feedback.substring(0, cut)))),
                    true));
        }
    }

    /** Every field of every route set to every value in {@link #VALUES}. */
    static void wrongTypes(List<Case> cases) {
        ObjectNode chat = (ObjectNode) parse(VALID);
        List<String> chatFields = List.of(
                "model",
                "messages",
                "temperature",
                "top_p",
                "max_tokens",
                "max_completion_tokens",
                "stop",
                "seed",
                "user",
                "stream",
                "stream_options",
                "tools",
                "tool_choice",
                "n");
        for (String value : VALUES) {
            for (String field : chatFields) {
                ObjectNode body = chat.deepCopy();
                body.set(field, parse(value));
                cases.add(typed(CHAT_PATH, field + "=" + value, body));
            }
            for (String field : List.of("role", "content", "name", "tool_calls", "tool_call_id")) {
                ObjectNode body = chat.deepCopy();
                ((ObjectNode) body.get("messages").get(0)).set(field, parse(value));
                cases.add(typed(CHAT_PATH, "messages[0]." + field + "=" + value, body));
            }
            ObjectNode element = chat.deepCopy();
            ((ArrayNode) element.get("messages")).set(0, parse(value));
            cases.add(typed(CHAT_PATH, "messages[0]=" + value, element));
            cases.add(typed(CHAT_PATH, "body=" + value, parse(value)));
            ObjectNode completion = JSON.createObjectNode().put("max_tokens", 2);
            completion.set("prompt", parse(value));
            cases.add(typed("/v1/completions", "prompt=" + value, completion));
            for (String field : List.of("conversation_id", "message_index", "rating", "comment")) {
                ObjectNode feedback = JSON.createObjectNode().put("conversation_id", "c-unknown");
                feedback.set(field, parse(value));
                cases.add(typed("/v1/feedback", field + "=" + value, feedback));
            }
            for (String field : List.of("challenger_share", "shadow")) {
                ObjectNode split = JSON.createObjectNode().put("challenger_share", 0);
                split.set(field, parse(value));
                cases.add(new Case(
                        "type",
                        "/admin/split " + field + "=" + value,
                        List.of(Step.of(RawHttp.post("/admin/split", split.toString(), "X-Admin-Key: admin"))),
                        false));
            }
        }
    }

    static void absurdSizes(List<Case> cases, long maxBodyBytes) {
        int max = (int) maxBodyBytes;
        String prefix = "{\"messages\":[{\"role\":\"user\",\"content\":\"";
        String suffix = "\"}],\"max_tokens\":2}";
        String atLimit = prefix + "a".repeat(max - prefix.length() - suffix.length()) + suffix;
        cases.add(new Case(
                "size", "a body of exactly the limit", List.of(Step.of(RawHttp.post(CHAT_PATH, atLimit))), true));
        String over = prefix + "a".repeat(max + 1 - prefix.length() - suffix.length()) + suffix;
        cases.add(new Case("size", "one byte over the limit", List.of(Step.of(RawHttp.post(CHAT_PATH, over))), true));
        cases.add(new Case(
                "size", "10 GB announced", List.of(Step.of(head(CHAT_PATH, "Content-Length: 10000000000"))), true));
        cases.add(new Case(
                "size",
                "a Content-Length past long",
                List.of(Step.of(head(CHAT_PATH, "Content-Length: 99999999999999999999999"))),
                true));
        cases.add(new Case(
                "size",
                "a negative Content-Length",
                List.of(Step.of(head(CHAT_PATH, "Content-Length: -5") + "{}")),
                true));
        List<Step> chunked = new ArrayList<>(List.of(Step.of(head(CHAT_PATH, "Transfer-Encoding: chunked"))));
        String piece = "a".repeat(256 * 1024);
        chunked.add(chunk(prefix));
        for (int i = 0; i < 4 * (max / piece.length()) + 4; i++) {
            chunked.add(chunk(piece));
        }
        chunked.add(Step.of(chunkText(suffix) + "0\r\n\r\n"));
        cases.add(new Case("size", "a chunked body four times the limit", chunked, true));
        cases.add(new Case(
                "size",
                "one chunk announcing 2 GB",
                List.of(
                        Step.of(head(CHAT_PATH, "Transfer-Encoding: chunked") + "7fffffff\r\n" + prefix),
                        Step.of(piece.repeat(8))),
                true));
        cases.add(body("size", "nesting 100000 deep", "[".repeat(100_000)));
        cases.add(body("size", "a 100000-digit number", "{\"max_tokens\":" + "9".repeat(100_000) + "}"));
        cases.add(body("size", "a 100000-character field name", "{\"" + "k".repeat(100_000) + "\":1}"));
        for (int count : new int[] {2_000, 20_000}) {
            StringBuilder many = new StringBuilder("{\"max_tokens\":2,\"messages\":[");
            for (int i = 0; i < count; i++) {
                many.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"m\"}");
            }
            cases.add(body("size", count + " messages", many.append("]}").toString()));
        }
        cases.add(new Case(
                "size",
                "100000 NUL escapes",
                List.of(Step.of(RawHttp.post(CHAT_PATH, prefix + "\\u0000".repeat(100_000) + suffix))),
                false));
        cases.add(new Case(
                "size",
                "a 64 KiB header",
                List.of(Step.of(RawHttp.post(CHAT_PATH, VALID, "X-Big: " + "h".repeat(65_536)))),
                true));
        String[] headers = new String[2000];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = "X-H" + i + ": v";
        }
        cases.add(new Case("size", "2000 headers", List.of(Step.of(RawHttp.post(CHAT_PATH, VALID, headers))), true));
        cases.add(new Case(
                "size",
                "a 100 KiB path",
                List.of(Step.of(RawHttp.request("GET", "/" + "p".repeat(100_000), ""))),
                true));
    }

    static void headersAndChunking(List<Case> cases) {
        String chunked = "Transfer-Encoding: chunked";
        String[][] raw = {
            {"Content-Length and chunked", head(CHAT_PATH, "Content-Length: 3", chunked) + "0\r\n\r\n"},
            {"two Content-Lengths", head(CHAT_PATH, "Content-Length: 2", "Content-Length: 3") + "{}"},
            {"Content-Length not a number", head(CHAT_PATH, "Content-Length: ten") + "{}"},
            {"gzip then chunked", head(CHAT_PATH, "Transfer-Encoding: gzip, chunked") + "2\r\n{}\r\n0\r\n\r\n"},
            {"chunked then gzip", head(CHAT_PATH, "Transfer-Encoding: chunked, gzip") + "2\r\n{}\r\n0\r\n\r\n"},
            {"chunk size zz", head(CHAT_PATH, chunked) + "zz\r\n{}\r\n0\r\n\r\n"},
            {"chunk size past long", head(CHAT_PATH, chunked) + "ffffffffffffffffffffff\r\n{}\r\n0\r\n\r\n"},
            {"negative chunk size", head(CHAT_PATH, chunked) + "-2\r\n{}\r\n0\r\n\r\n"},
            {"chunk longer than declared", head(CHAT_PATH, chunked) + "2\r\n{}}}\r\n0\r\n\r\n"},
            {"chunk without CRLF", head(CHAT_PATH, chunked) + "2\r\n{}0\r\n\r\n"},
            {
                "chunk extension",
                head(CHAT_PATH, chunked) + chunkText(VALID).replaceFirst("\r\n", ";ext=1\r\n") + "0\r\n\r\n"
            },
            {"trailer fields", head(CHAT_PATH, chunked) + chunkText(VALID) + "0\r\nX-Trailer: 1\r\n\r\n"},
            {"upper-case CHUNKED", head(CHAT_PATH, "transfer-encoding: CHUNKED") + chunkText(VALID) + "0\r\n\r\n"},
            {"garbage request line", "GARBAGE\r\n\r\n"},
            {"HTTP/1.0 without length", "POST " + CHAT_PATH + " HTTP/1.0\r\nHost: x\r\n\r\n"},
            {"no Host", "POST " + CHAT_PATH + " HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"},
            {
                "header without colon",
                "POST " + CHAT_PATH + " HTTP/1.1\r\nHost: x\r\nNoColon\r\nContent-Length: 2\r\n\r\n{}"
            },
            {"folded header", head(CHAT_PATH, "X-A: a", " folded", "Content-Length: 2") + "{}"},
            {"NUL in a header", head(CHAT_PATH, "X-A: a\u0000b", "Content-Length: 2") + "{}"},
            {"bare LF line ends", "POST " + CHAT_PATH + " HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}"},
            {"PUT", RawHttp.request("PUT", CHAT_PATH, VALID, "Content-Length: " + VALID.length())},
            {"DELETE", RawHttp.request("DELETE", CHAT_PATH, "")},
            {"unknown method", RawHttp.request("BREW", CHAT_PATH, "")},
            {"GET /health with a body", RawHttp.request("GET", "/health", "{}", "Content-Length: 2")},
            {"Bearer without key", RawHttp.post(CHAT_PATH, VALID, "Authorization: Bearer")},
            {"arm pinned without admin key", RawHttp.post(CHAT_PATH, VALID, "X-Tanrenai-Arm: challenger")},
            {"unknown arm pinned", RawHttp.post(CHAT_PATH, VALID, "X-Tanrenai-Arm: nobody", "X-Admin-Key: admin")},
            {"wrong admin key", RawHttp.request("GET", "/admin/events", "", "X-Admin-Key: nimda")},
            {"a 4 KiB conversation id", RawHttp.post(CHAT_PATH, VALID, "X-Conversation-Id: " + "c".repeat(4096))},
            {"Expect: 100-continue", RawHttp.post(CHAT_PATH, VALID, "Expect: 100-continue")},
            {"Expect: something else", RawHttp.post(CHAT_PATH, VALID, "Expect: 200-ok")},
            {
                "odd content type",
                RawHttp.request(
                        "POST",
                        CHAT_PATH,
                        VALID,
                        "Content-Type: text/plain; charset=nope",
                        "Content-Length: " + VALID.getBytes(StandardCharsets.UTF_8).length)
            },
        };
        for (String[] c : raw) {
            cases.add(new Case("header", c[0], List.of(Step.of(c[1])), false));
        }
        ByteArrayOutputStream invalidUtf8 = new ByteArrayOutputStream();
        invalidUtf8.writeBytes("{\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8));
        invalidUtf8.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3});
        invalidUtf8.writeBytes("\"}]}".getBytes(StandardCharsets.UTF_8));
        cases.add(new Case(
                "header",
                "invalid UTF-8 in the body",
                List.of(bytes(post(CHAT_PATH, invalidUtf8.toByteArray()))),
                true));
    }

    static void slowBodies(List<Case> cases) {
        String half = VALID.substring(0, VALID.length() / 2);
        long forever = 60_000;
        cases.add(new Case(
                "slow",
                "Content-Length past the body, then silence",
                List.of(
                        Step.of(head(CHAT_PATH, "Content-Length: " + (VALID.length() + 50)) + VALID),
                        Step.pause(forever)),
                true));
        cases.add(new Case(
                "slow",
                "chunked, silent inside a chunk",
                List.of(Step.of(head(CHAT_PATH, "Transfer-Encoding: chunked") + "ff\r\n" + half), Step.pause(forever)),
                true));
        cases.add(new Case(
                "slow",
                "chunked, no last chunk",
                List.of(Step.of(head(CHAT_PATH, "Transfer-Encoding: chunked") + chunkText(VALID)), Step.pause(forever)),
                true));
        cases.add(new Case(
                "slow",
                "Expect: 100-continue, body never sent",
                List.of(
                        Step.of(head(CHAT_PATH, "Content-Length: " + VALID.length(), "Expect: 100-continue")),
                        Step.pause(forever)),
                true));
        List<Step> trickle = new ArrayList<>(List.of(Step.of(head(CHAT_PATH, "Content-Length: " + VALID.length()))));
        for (char c : VALID.toCharArray()) {
            trickle.add(new Step(String.valueOf(c).getBytes(StandardCharsets.ISO_8859_1), 200));
        }
        cases.add(new Case("slow", "one byte every 200 ms", trickle, true));
        List<Step> slowChunks = new ArrayList<>(List.of(Step.of(head(CHAT_PATH, "Transfer-Encoding: chunked"))));
        for (char c : VALID.toCharArray()) {
            slowChunks.add(new Step(chunkText(String.valueOf(c)).getBytes(StandardCharsets.ISO_8859_1), 300));
        }
        cases.add(new Case("slow", "one chunk every 300 ms", slowChunks, true));
    }

    /** Request heads that never finish: no worker may be held for them. */
    static List<List<Step>> neverFinishingHeads() {
        return List.of(
                List.of(Step.of("POST " + CHAT_PATH + " HTTP/1.1\r\nHost: x\r\n")),
                List.of(Step.of("POST " + CHAT_PATH)),
                List.of(Step.of(head(CHAT_PATH, "Content-Length: 100") + "{")),
                List.of(Step.of(head(CHAT_PATH, "Transfer-Encoding: chunked") + "10\r\n{")));
    }

    private static Case typed(String path, String name, JsonNode body) {
        return new Case("type", path + " " + name, List.of(Step.of(RawHttp.post(path, body.toString()))), false);
    }

    private static Case body(String kind, String name, String body) {
        return new Case(kind, name, List.of(Step.of(RawHttp.post(CHAT_PATH, body))), true);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static String head(String path, String... headers) {
        return RawHttp.request("POST", path, "", headers);
    }

    private static byte[] post(String path, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head(path, "Content-Type: application/json", "Content-Length: " + body.length)
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static Step bytes(byte[] b) {
        return new Step(b, 0);
    }

    static String chunkText(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n";
    }

    private static Step chunk(String text) {
        return Step.of(chunkText(text));
    }
}
