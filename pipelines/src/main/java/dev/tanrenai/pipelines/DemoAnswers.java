package dev.tanrenai.pipelines;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.runtime.Completion;
import dev.tanrenai.models.runtime.GenerationRequest;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.LoraAdapterRef;
import dev.tanrenai.models.runtime.RuntimeOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The demo's side-by-side step: the champion and the challenger answer the same questions through
 * llama.cpp (greedy, temperature 0, the model's chat template), each question with what the demo
 * conversations taught and whether each answer says it.
 */
final class DemoAnswers {
    static final int MAX_TOKENS = 32;

    private DemoAnswers() {}

    /** One answer per question and alias, in question order: champion then challenger. */
    static List<Map<String, Object>> ask(TanrenaiConfig config, List<DemoSetup.Question> questions, Output out) {
        String championId =
                Stores.registry(config).alias("champion").orElseThrow().id();
        String challengerId =
                Stores.registry(config).alias("challenger").orElseThrow().id();
        List<Completion> champion = complete(config, "champion", questions);
        List<Completion> challenger = complete(config, "challenger", questions);
        List<Map<String, Object>> answers = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            DemoSetup.Question q = questions.get(i);
            out.line("  Q: " + q.text());
            if (q.taught() != null) {
                out.line("     taught:      " + q.taught());
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("question", q.text());
            answer.put("taught", q.taught());
            answer.put("answerWord", q.answerWord());
            answer.put("champion", describe("champion", championId, champion.get(i), q, out));
            answer.put("challenger", describe("challenger", challengerId, challenger.get(i), q, out));
            answers.add(answer);
        }
        return answers;
    }

    /** Whether {@code text} contains {@code word} as a whole word. */
    static boolean says(String text, String word) {
        return Pattern.compile("\\b" + Pattern.quote(word) + "\\b")
                .matcher(text)
                .find();
    }

    private static Map<String, Object> describe(
            String alias, String modelId, Completion completion, DemoSetup.Question q, Output out) {
        String text = completion.text().strip();
        String verdict = q.answerWord() == null
                ? ""
                : says(text, q.answerWord()) ? "   [says " + q.answerWord() + "]" : "   [no " + q.answerWord() + "]";
        out.line(String.format(Locale.ROOT, "     %-12s %s%s", alias + ":", oneLine(text), verdict));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("alias", alias);
        reply.put("model", modelId);
        reply.put("text", completion.text());
        reply.put("tokens", completion.tokenCount());
        reply.put("finishReason", completion.finishReason());
        if (q.answerWord() != null) {
            reply.put("saysAnswer", says(text, q.answerWord()));
        }
        return reply;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " / ");
    }

    private static List<Completion> complete(TanrenaiConfig config, String alias, List<DemoSetup.Question> questions) {
        ModelRef model = Stores.registry(config).alias(alias).orElseThrow();
        List<LoraAdapterRef> adapters = model.adapterIfAny()
                .map(a -> List.of(LoraAdapterRef.of(a.path())))
                .orElse(List.of());
        RuntimeOptions options = RuntimeOptions.defaults(
                        model.base().path(), config.home().nativeDir())
                .withAdapters(adapters)
                .withThreads(config.runtimeThreads())
                .withContextLength(Math.min(config.runtimeContextLength(), 512));
        List<Completion> completions = new ArrayList<>();
        try (LlamaRuntime runtime = LlamaRuntime.load(options)) {
            for (DemoSetup.Question q : questions) {
                String prompt = runtime.applyChatTemplate(List.of(Message.user(q.text())), true);
                completions.add(runtime.complete(GenerationRequest.greedy(prompt, MAX_TOKENS)));
            }
        }
        return completions;
    }
}
