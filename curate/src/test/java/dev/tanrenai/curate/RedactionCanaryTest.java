package dev.tanrenai.curate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.ToolCall;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Recall on planted canaries (every secret kind in every text context, and in system prompts,
 * tool-call arguments and tool results) and the false-positive rate on ordinary text. The figures
 * are the README's.
 */
class RedactionCanaryTest {

    static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    /** Ordinary text that must come out unchanged: version numbers, dates, prices, order numbers, code. */
    static final List<String> ORDINARY = List.of(
            "Upgrade to version 1.2.3.4 before Friday.",
            "Released in v2.10.0; 2.9.14 is the last of the old line.",
            "Kernel 6.8.0-45-generic and glibc 2.39 are fine.",
            "version 1.2.3.4.5",
            "The meeting is on 2026-11-23 at 14:30.",
            "Dates: 23/11/2026, 11/23/2026, 2026.11.23.",
            "Between 1999-12-31 and 2000-01-01 nothing happened.",
            "It costs $1,299.99 or 1.299,99 EUR.",
            "Total: 12 345 678 yen.",
            "Prices went from 19.99 to 24.99 and then 29.99.",
            "Your order number is 4111 1111 1111 1112.",
            "Order #2026112300017 shipped.",
            "Invoice INV-2026-000123, ref 998877665544.",
            "Tracking 1Z999AA10123456784 arrives Monday.",
            "Call it with f(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13).",
            "std::vector<int> v; v.push_back(42);",
            "for (int i = 0; i < 1000000; i++) { sum += i; }",
            "if (password == null) throw new IllegalArgumentException(\"password required\");",
            "String password = readPassword();",
            "password = os.environ[\"DB_PASSWORD\"]",
            "The password is required and must be at least 12 characters long.",
            "Forgot password? Click the link in the e-mail.",
            "Use the passwd command to change it.",
            "The commit is 3f5e2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f.",
            "SHA-256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "UUID 123e4567-e89b-12d3-a456-426614174000 identifies the row.",
            "Meet at 12:30, not 12:45.",
            "Temper at 200 °C for 1 hour.",
            "It costs 1234 dollars.",
            "Pi is about 3.14159265358979.",
            "The ratio 16:9 and 4:3 are common; so is 21:9.",
            "Port 8080 and 443 are open.",
            "Matrix [[1, 2], [3, 4]] has determinant -2.",
            "The file is src/main/java/dev/tanrenai/curate/Redactor.java.",
            "Call 911 in an emergency.",
            "ISBN 978-0-596-52068-7 is a good book.",
            "The year 2026 had 365 days.",
            "Use the sk-learn alias? No: scikit-learn.",
            "task-scheduler-configuration-file is the name.",
            "see https://docs.example.com/v1.2.3/guide#section-4",
            "Temperatures: -5, -10, -15 degrees.",
            "A 40-character base64 line: dGhpcyBpcyBqdXN0IGEgdGVzdCBzdHJpbmcgb2s=",
            "Steps 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16",
            "Coordinates 52.5200, 13.4050 (Berlin).",
            "The IP field must match ^\\d+\\.\\d+$.",
            "Line numbers 100 200 300 400 500 in the log.",
            "Model llama-3.1-8b-instruct-q4_k_m.gguf",
            "x = 0x7fffffff; y = 0xDEADBEEF;",
            "Score 98.6% on 1,000 samples.",
            "Phone extension 4821.");

    @Test
    void everyCanaryInEveryTextContextIsRemoved() {
        Redactor r = new Redactor();
        List<String> survivors = new ArrayList<>();
        int planted = 0;
        for (RedactionCorpus.Canary canary : RedactionCorpus.canaries()) {
            for (RedactionCorpus.Context context : RedactionCorpus.contexts()) {
                planted++;
                String out = r.redact(context.plant(canary)).text();
                if (out.contains(canary.needle())) {
                    survivors.add(canary.kind() + " in " + context.name() + ": " + out);
                }
            }
        }
        assertTrue(planted >= 250, "planted " + planted);
        assertEquals(List.of(), survivors, survivors.size() + " of " + planted + " canaries survive");
    }

    @Test
    void canariesInSystemPromptsToolArgumentsToolResultsAndMetadataAreRemoved() {
        Redactor r = new Redactor();
        List<String> survivors = new ArrayList<>();
        for (RedactionCorpus.Canary canary : RedactionCorpus.canaries()) {
            String json = new String(JsonStringEncoder.getInstance().quoteAsString(canary.planted()));
            Conversation c = new Conversation(
                    "c",
                    "test",
                    T,
                    T,
                    List.of(
                            Message.system("You are a helpful bot. Internal note: " + canary.planted()),
                            Message.user("Look it up."),
                            new Message(
                                    dev.tanrenai.datasets.Role.ASSISTANT,
                                    "",
                                    List.of(new ToolCall("call_1", "lookup", "{\"query\":\"" + json + "\"}")),
                                    null,
                                    null,
                                    null),
                            Message.tool("call_1", "{\"result\":\"" + json + "\",\"ok\":true}"),
                            Message.assistant("Done.")),
                    Map.of("note", "imported with " + canary.planted()));
            Conversation out = RedactSecrets.redact(c, r, (kind, n) -> {});
            if (out.metadata().get("note").contains(canary.needle())) {
                survivors.add(canary.kind() + " in metadata: " + out.metadata());
            }
            for (Message m : out.messages()) {
                if (m.content().contains(canary.needle())) {
                    survivors.add(canary.kind() + " in a " + m.role() + " turn: " + m.content());
                }
                for (ToolCall call : m.toolCalls()) {
                    if (call.argumentsJson().contains(canary.needle())) {
                        survivors.add(canary.kind() + " in tool-call arguments: " + call.argumentsJson());
                    }
                }
            }
        }
        assertEquals(List.of(), survivors);
    }

    @Test
    void ordinaryTextStaysUnchanged() {
        Redactor r = new Redactor();
        List<String> changed = new ArrayList<>();
        for (String s : ORDINARY) {
            String out = r.redact(s).text();
            if (!out.equals(s)) {
                changed.add(s + " -> " + out);
            }
        }
        assertEquals(50, ORDINARY.size());
        assertEquals(List.of(), changed, changed.size() + " of " + ORDINARY.size() + " ordinary texts changed");
    }
}
