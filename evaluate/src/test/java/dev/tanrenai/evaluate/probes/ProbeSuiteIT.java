package dev.tanrenai.evaluate.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.testing.RandomAdapters;
import dev.tanrenai.evaluate.result.ItemScore;
import dev.tanrenai.evaluate.score.ModelUnderTest;
import dev.tanrenai.evaluate.score.ScoringSession;
import dev.tanrenai.evaluate.score.ScoringSettings;
import dev.tanrenai.evaluate.suite.SuiteKind;
import dev.tanrenai.evaluate.suite.SuiteRun;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.LoraAdapterRef;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe suite on a tiny generated llama in the real llama.cpp: its outputs are what a direct greedy
 * generation gives for the chat-rendered prompt (computed here on a separately loaded runtime), and the
 * verdicts follow expectations built here from those texts.
 */
class ProbeSuiteIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Message> CHAT = List.of(
            Message.system("You answer."),
            Message.user("Hello the world"),
            Message.assistant("good"),
            Message.user("the world is"));

    @TempDir
    static Path dir;

    private static Path model;
    private static Path adapter;
    private static ModelUnderTest base;
    private static ModelUnderTest adapted;
    private static ScoringSession session;

    @BeforeAll
    static void setUp() throws Exception {
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(spec, model);
        adapter = dir.resolve("adapter.gguf");
        RandomAdapters.write(spec, EnumSet.of(LoraTarget.Q, LoraTarget.V, LoraTarget.DOWN), 4, 8f, 0.5f, 3, adapter);
        base = ModelUnderTest.ofFiles(model, null);
        adapted = ModelUnderTest.ofFiles(model, adapter);
        session = ScoringSession.open(base, options(), ScoringSettings.defaults());
    }

    @AfterAll
    static void tearDown() {
        session.close();
    }

    private static RuntimeOptions options() {
        return RuntimeOptions.defaults(model, dir.resolve("native")).withContextLength(512);
    }

    /** Greedy text for {@code messages}, rendered and generated here on its own runtime. */
    private static String direct(List<LoraAdapterRef> adapters, List<Message> messages, int maxTokens) {
        try (LlamaRuntime rt = LlamaRuntime.load(options().withAdapters(adapters))) {
            String prompt = rt.applyChatTemplate(messages, true);
            return rt.complete(GenerationRequest.greedy(prompt, maxTokens)).text();
        }
    }

    private static String yaml(String prompt, String expected, String chatExpected) throws Exception {
        return """
                version: 1
                probes:
                  - id: exact_hit
                    prompt: %1$s
                    expect: {exact: %2$s}
                    must_pass: true
                    max_tokens: 12
                  - id: exact_miss
                    prompt: %1$s
                    expect: {exact: %3$s}
                    must_pass: true
                    max_tokens: 12
                  - id: regex_hit
                    prompt: %1$s
                    expect: {regex: %4$s}
                    max_tokens: 12
                  - id: chat_contains
                    messages:
                      - {role: system, content: You answer.}
                      - {role: user, content: Hello the world}
                      - {role: assistant, content: good}
                      - {role: user, content: the world is}
                    expect: {contains: [never-generated-1, %5$s]}
                    max_tokens: 6
                  - id: soft_miss
                    prompt: %1$s
                    expect: {contains: "#not-in-the-tiny-vocab#"}
                    max_tokens: 12
                """.formatted(
                        JSON.writeValueAsString(prompt),
                        JSON.writeValueAsString(expected),
                        JSON.writeValueAsString(expected + " #never"),
                        JSON.writeValueAsString("^\\s*" + Pattern.quote(expected.strip()) + "\\s*$"),
                        JSON.writeValueAsString(chatExpected.strip()));
    }

    @Test
    void outputsAreTheServedGreedyTextAndVerdictsFollowTheExpectations() throws Exception {
        String prompt = "Hello the world";
        String expected = direct(List.of(), List.of(Message.user(prompt)), 12);
        String chat = direct(List.of(), CHAT, 6);
        assertFalse(expected.isBlank(), "the tiny model generated nothing for the fixture prompt");
        assertFalse(chat.isBlank(), "the tiny model generated nothing for the fixture chat");
        ProbeSuite suite = ProbeSuite.of(ProbeFile.parse(yaml(prompt, expected, chat), "it.yaml"));

        SuiteRun run = suite.score(session, base, null);

        assertEquals("probes", run.suite().id());
        assertEquals(SuiteKind.PROBES, run.suite().kind());
        assertEquals(base.cacheKey(), run.modelKey());
        assertNull(run.referenceKey());
        @SuppressWarnings("unchecked")
        Map<String, String> outputs = (Map<String, String>) run.notes().get(ProbeSuite.OUTPUTS);
        assertEquals(expected, outputs.get("exact_hit"));
        assertEquals(expected, outputs.get("exact_miss"));
        assertEquals(chat, outputs.get("chat_contains"));
        assertEquals(
                List.of("exact_hit", "exact_miss", "regex_hit", "chat_contains", "soft_miss"),
                run.items().stream().map(ItemScore::itemId).toList());
        assertEquals(
                List.of(1.0, 0.0, 1.0, 1.0, 0.0),
                run.items().stream().map(i -> i.value(ProbeSuite.PASS)).toList());
        assertEquals(
                List.of(1.0, 1.0, 0.0, 0.0, 0.0),
                run.items().stream().map(i -> i.value(ProbeSuite.MUST_PASS)).toList());
        assertEquals("the world is", run.items().get(3).text());
        assertEquals(3.0 / 5, ProbeSuite.PASS_RATE.valueOf(run.items()), 1e-12);
        assertEquals(
                List.of(new ProbeSuite.FailedProbe("exact_miss", prompt, expected)), ProbeSuite.failedMustPass(run));

        SuiteRun again = suite.score(session, base, null);
        assertEquals(run.notes().get(ProbeSuite.OUTPUTS), again.notes().get(ProbeSuite.OUTPUTS), "deterministic");
        assertEquals(run.items(), again.items());
    }

    @Test
    void theCandidateIsGeneratedWithItsAdapter() throws Exception {
        String prompt = "Hello the world";
        String withAdapter = direct(List.of(LoraAdapterRef.of(adapter)), List.of(Message.user(prompt)), 12);
        String withoutAdapter = direct(List.of(), List.of(Message.user(prompt)), 12);
        assertNotEquals(withoutAdapter, withAdapter, "fixture: the random adapter must change the greedy text");
        ProbeSuite suite = ProbeSuite.named(
                "team",
                ProbeFile.parse(
                        "version: 1\nprobes:\n  - {id: p, prompt: " + JSON.writeValueAsString(prompt)
                                + ", max_tokens: 12, expect: {exact: " + JSON.writeValueAsString(withAdapter)
                                + "}}\n",
                        "adapter.yaml"));

        SuiteRun run = suite.score(session, adapted, null);

        assertEquals("probes/team", run.suite().id());
        assertEquals(adapted.cacheKey(), run.modelKey());
        assertEquals(Map.of("p", withAdapter), run.notes().get(ProbeSuite.OUTPUTS));
        assertEquals(1.0, run.items().get(0).value(ProbeSuite.PASS));
        assertEquals(List.of(), ProbeSuite.failedMustPass(run));
    }

    @Test
    void failedMustPassNeedsTheRecordedOutputs() throws Exception {
        SuiteRun probes = ProbeSuite.of(ProbeFile.parse(
                        "version: 1\nprobes:\n  - {id: p, prompt: hi, max_tokens: 2, expect: {exact: x}}\n", "x"))
                .score(session, base, null);
        SuiteRun withoutOutputs = new SuiteRun(
                probes.suite(), probes.modelKey(), null, probes.items(), List.of(), null, null, Map.of(), 0);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ProbeSuite.failedMustPass(withoutOutputs));
        assertEquals("suite probes run of " + base.cacheKey() + " has no 'outputs' notes", e.getMessage());
    }
}
