package dev.tanrenai.datasets.snapshot;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Deterministic test conversations covering every field of the schema. */
final class TestConversations {

    static final Instant T0 = Instant.parse("2026-11-22T21:15:30.123456Z");

    private TestConversations() {}

    /** Hand-written conversations: tool calls, unicode, empty strings vs null, empty metadata. */
    static List<Conversation> rich() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("zeta", "last");
        metadata.put("alpha", "");
        metadata.put("言語", "日本語 🇯🇵");
        metadata.put("nullable", null);
        Conversation tools = new Conversation(
                "conv-tools",
                "serve",
                T0,
                T0.plusSeconds(42),
                List.of(
                        Message.system("You are helpful."),
                        new Message(Role.USER, "Wetter in 東京? 🌧️", List.of(), null, "kenji", null),
                        new Message(
                                Role.ASSISTANT,
                                "",
                                List.of(
                                        new ToolCall("call_1", "weather", "{\"city\":\"東京\"}"),
                                        new ToolCall("call_2", "time", "")),
                                null,
                                null,
                                "base+adapter-0007"),
                        Message.tool("call_1", "{\"temp\": 12.5}"),
                        Message.tool("call_2", ""),
                        Message.assistant("12.5 °C, rain 🌂 — 小雨").withProducedBy("base")),
                metadata);
        Conversation plain = new Conversation(
                "conv-plain",
                "import:openai:chats.jsonl",
                Instant.parse("1969-12-31T23:59:59.999999Z"),
                Instant.parse("1970-01-01T00:00:00Z"),
                List.of(Message.user(""), Message.assistant("")),
                Map.of());
        List<Message> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add(i % 2 == 0 ? Message.user("question " + i) : Message.assistant("answer " + i + " ✓"));
        }
        Conversation long_ = new Conversation("conv-many", "serve", T0, T0, many, Map.of("k", "v"));
        return List.of(tools, plain, long_);
    }

    /** {@code n} pseudo-random conversations from {@code seed}; the same arguments give equal lists. */
    static List<Conversation> generated(int n, long seed) {
        Random random = new Random(seed);
        List<Conversation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Message> messages = new ArrayList<>();
            messages.add(Message.user("q" + i + " " + Long.toHexString(random.nextLong()) + " 漢字"));
            if (random.nextInt(3) == 0) {
                String callId = "c" + i;
                messages.add(new Message(
                        Role.ASSISTANT,
                        "",
                        List.of(new ToolCall(callId, "lookup", "{\"n\":" + random.nextInt(1000) + "}")),
                        null,
                        null,
                        "m-" + random.nextInt(4)));
                messages.add(Message.tool(callId, "result " + random.nextInt()));
            }
            messages.add(Message.assistant("a" + i + " 😀".repeat(random.nextInt(3))));
            Instant created = T0.plusSeconds(i * 60L);
            Map<String, String> metadata = random.nextBoolean() ? Map.of() : Map.of("lang", "de", "n", "" + i);
            out.add(new Conversation(
                    "gen-" + i, "serve", created, created.plusMillis(random.nextInt(5000)), messages, metadata));
        }
        return out;
    }
}
