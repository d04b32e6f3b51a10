package dev.tanrenai.models.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.models.testing.TestGgufFiles;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link LlamaRuntime} on tiny generated llama and qwen2 models in the real llama.cpp. */
class LlamaRuntimeIT {
    private static final String CHAT_PROMPT = "<|im_start|>user\nHello the world<|im_end|>\n<|im_start|>assistant\n";

    @TempDir
    static Path dir;

    private static Path llama;
    private static Path qwen2;
    private static LlamaRuntime runtime;

    enum Arch {
        LLAMA,
        QWEN2
    }

    @BeforeAll
    static void writeModels() throws IOException {
        llama = dir.resolve("tiny-llama.gguf");
        qwen2 = dir.resolve("tiny-qwen2.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), llama);
        TinyModelMaker.write(TinyModelSpec.qwen2Default(), qwen2);
        runtime = LlamaRuntime.load(options(llama));
    }

    @AfterAll
    static void closeShared() {
        runtime.close();
    }

    static RuntimeOptions options(Path model) {
        return RuntimeOptions.defaults(model, dir.resolve("native")).withContextLength(512);
    }

    static Path model(Arch arch) {
        return arch == Arch.LLAMA ? llama : qwen2;
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void tokenizeDetokenizeRoundTripAndChatTemplate(Arch arch) {
        try (LlamaRuntime rt = LlamaRuntime.load(options(model(arch)))) {
            String text = "Hello the world is good";
            int[] tokens = rt.tokenize(text);
            assertTrue(tokens.length > 0 && tokens.length < text.length(), "tokens: " + tokens.length);
            assertEquals(text, rt.detokenize(tokens).strip());
            assertArrayEquals(tokens, rt.tokenize(rt.detokenize(tokens).strip()));

            String chat = rt.applyChatTemplate(
                    List.of(Message.system("Be brief."), Message.user("Hello"), Message.assistant("Hi")), true);
            assertTrue(chat.contains("<|im_start|>user\nHello<|im_end|>"), chat);
            assertTrue(chat.contains("<|im_start|>system\nBe brief.<|im_end|>"), chat);
            assertTrue(chat.endsWith("<|im_start|>assistant\n"), chat);
            assertTrue(
                    !rt.applyChatTemplate(List.of(Message.user("Hello")), false).endsWith("<|im_start|>assistant\n"));

            var tools = new com.fasterxml.jackson.databind.ObjectMapper()
                    .createArrayNode()
                    .add(new com.fasterxml.jackson.databind.ObjectMapper()
                            .createObjectNode()
                            .put("type", "function")
                            .set(
                                    "function",
                                    new com.fasterxml.jackson.databind.ObjectMapper()
                                            .createObjectNode()
                                            .put("name", "get_weather")
                                            .put("description", "the weather in a city")));
            // no "description", no "parameters" (OpenAI allows both; llama.cpp's parser would abort the JVM)
            String withTools = rt.applyChatTemplate(List.of(Message.user("Weather in Oslo?")), tools, true);
            assertTrue(withTools.contains("get_weather") && withTools.contains("Weather in Oslo?"), withTools);
            var broken = new com.fasterxml.jackson.databind.ObjectMapper()
                    .createArrayNode()
                    .add("not a tool");
            IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> rt.applyChatTemplate(List.of(Message.user("x")), broken, true));
            assertTrue(bad.getMessage().startsWith("tools[0].type"), bad.getMessage());

            Completion c = rt.complete(GenerationRequest.greedy(chat, 8));
            assertEquals(rt.tokenize(chat).length, c.promptTokenCount());
            assertTrue(c.tokenCount() > 0);
        }
    }

    @Test
    void greedyWithSeedRepeatsAcrossCallsAndRuntimes() {
        GenerationRequest request = GenerationRequest.greedy(CHAT_PROMPT, 24);
        Completion first = runtime.complete(request);
        Completion second = runtime.complete(request);
        assertEquals(first.text(), second.text());
        assertTrue(!first.text().isEmpty());
        try (LlamaRuntime fresh = LlamaRuntime.load(options(llama))) {
            assertEquals(first.text(), fresh.complete(request).text());
        }
    }

    @Test
    void maxTokensEndsWithLength() {
        Completion c = runtime.complete(GenerationRequest.greedy(CHAT_PROMPT, 5));
        assertEquals(FinishReason.LENGTH, c.finishReason());
        assertEquals(5, c.tokenCount());
    }

    @Test
    void stopStringEndsGenerationAndIsRemoved() {
        List<String> pieces = new ArrayList<>();
        Completion full =
                runtime.stream(GenerationRequest.greedy(CHAT_PROMPT, 30), pieces::add, new CancellationToken());
        String stop = null;
        for (int i = 3; i < pieces.size() && stop == null; i++) {
            // ASCII letters only: random tiny weights also emit bytes that are not valid UTF-8 on their own
            if (pieces.get(i).strip().matches("[A-Za-z]{2,}")) {
                stop = pieces.get(i).strip();
            }
        }
        assertTrue(stop != null, "need a multi-character piece in " + pieces);
        Completion stopped =
                runtime.complete(GenerationRequest.greedy(CHAT_PROMPT, 30).withStop(List.of(stop)));
        assertEquals(FinishReason.STOP, stopped.finishReason());
        assertEquals(full.text().substring(0, full.text().indexOf(stop)), stopped.text());
        assertTrue(stopped.tokenCount() < full.tokenCount());
    }

    /**
     * A generation stopped after its first streamed piece: one token, plus the byte tokens llama.cpp held back
     * while they split a UTF-8 character (at most one per byte of the piece).
     */
    private static void assertOnePiece(Completion c) {
        int bytes = c.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(
                c.tokenCount() >= 1 && c.tokenCount() <= Math.max(1, bytes),
                c.tokenCount() + " tokens for the piece '" + c.text() + "'");
    }

    @Test
    void tinyTimeoutEndsWithTimeoutQuickly() {
        GenerationRequest request = GenerationRequest.greedy(CHAT_PROMPT, 400).withTimeout(Duration.ofNanos(1));
        Completion c = runtime.complete(request);
        assertEquals(FinishReason.TIMEOUT, c.finishReason());
        assertOnePiece(c);
        assertTrue(c.elapsed().compareTo(Duration.ofSeconds(5)) < 0, "elapsed " + c.elapsed());
        // the runtime is usable afterwards
        assertEquals(
                FinishReason.LENGTH,
                runtime.complete(GenerationRequest.greedy(CHAT_PROMPT, 3)).finishReason());
    }

    @Test
    void cancellationFromAnotherThreadStopsGeneration() throws Exception {
        CancellationToken cancel = new CancellationToken();
        CountDownLatch firstToken = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> canceller = other.submit(() -> {
                firstToken.await(30, TimeUnit.SECONDS);
                cancel.cancel();
                cancelled.countDown();
                return null;
            });
            Completion c = runtime.stream(
                    GenerationRequest.greedy(CHAT_PROMPT, 400),
                    piece -> {
                        firstToken.countDown();
                        awaitQuietly(cancelled);
                    },
                    cancel);
            canceller.get(30, TimeUnit.SECONDS);
            assertEquals(FinishReason.CANCELLED, c.finishReason());
            assertOnePiece(c);
        } finally {
            other.shutdownNow();
        }
        assertEquals(
                FinishReason.LENGTH,
                runtime.complete(GenerationRequest.greedy(CHAT_PROMPT, 3)).finishReason());
    }

    @Test
    void streamingDeliversTheSameTextAsComplete() {
        GenerationRequest request = GenerationRequest.greedy(CHAT_PROMPT, 20);
        StringBuilder streamed = new StringBuilder();
        Completion viaStream = runtime.stream(request, streamed::append, new CancellationToken());
        Completion viaComplete = runtime.complete(request);
        assertEquals(viaComplete.text(), streamed.toString());
        assertEquals(viaComplete.text(), viaStream.text());
        assertEquals(viaComplete.tokenCount(), viaStream.tokenCount());
    }

    @Test
    void concurrentCallersAreSerialisedAndGetTheSameGreedyText() throws Exception {
        GenerationRequest request = GenerationRequest.greedy(CHAT_PROMPT, 16);
        String expected = runtime.complete(request).text();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Completion>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(pool.submit(() -> runtime.complete(request)));
            }
            for (Future<Completion> f : results) {
                assertEquals(expected, f.get(60, TimeUnit.SECONDS).text());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeIsIdempotentAndLaterUseFails() {
        LlamaRuntime rt = LlamaRuntime.load(options(qwen2));
        rt.close();
        rt.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.tokenize("x"));
        assertEquals("runtime closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> rt.complete(GenerationRequest.greedy("x", 2)));
    }

    @Test
    void closeCancelsAnInFlightGeneration() throws Exception {
        LlamaRuntime rt = LlamaRuntime.load(options(llama));
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Completion> running = other.submit(() -> rt.stream(
                    GenerationRequest.greedy(CHAT_PROMPT, 400),
                    piece -> {
                        started.countDown();
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (!rt.isClosed() && System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                    },
                    new CancellationToken()));
            assertTrue(started.await(30, TimeUnit.SECONDS));
            rt.close();
            Completion c = running.get(30, TimeUnit.SECONDS);
            assertEquals(FinishReason.CANCELLED, c.finishReason());
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void closeFromTheListenerEndsTheGenerationAndFreesTheModel() {
        LlamaRuntime rt = LlamaRuntime.load(options(qwen2));
        Completion c =
                rt.stream(GenerationRequest.greedy(CHAT_PROMPT, 400), piece -> rt.close(), new CancellationToken());
        assertEquals(FinishReason.CANCELLED, c.finishReason());
        assertOnePiece(c);
        assertTrue(rt.isClosed());
        assertThrows(IllegalStateException.class, () -> rt.tokenize("x"));
    }

    @Test
    void corruptFilesFailWithModelLoadException() throws IOException {
        Path random = dir.resolve("random.gguf");
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        Files.write(random, noise);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> LlamaRuntime.load(options(random)));
        assertTrue(e.getMessage().contains(random.toString()), e.getMessage());

        Path truncated = dir.resolve("truncated.gguf");
        byte[] whole = Files.readAllBytes(llama);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        e = assertThrows(ModelLoadException.class, () -> LlamaRuntime.load(options(truncated)));
        // caught by the Java GGUF validation, before llama.cpp memory-maps the file
        assertTrue(
                e.getMessage().contains(truncated.toString()) && e.getMessage().contains("malformed"), e.getMessage());

        Path headerOnly = dir.resolve("header-only.gguf");
        Files.write(headerOnly, java.util.Arrays.copyOf(whole, 6));
        assertThrows(ModelLoadException.class, () -> LlamaRuntime.load(options(headerOnly)));

        Path missing = dir.resolve("missing.gguf");
        e = assertThrows(ModelLoadException.class, () -> LlamaRuntime.load(options(missing)));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void loraAdapterWithZeroBKeepsOutputAndNonZeroChangesIt() throws IOException {
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        Path zero = dir.resolve("lora-zero.gguf");
        Path active = dir.resolve("lora-active.gguf");
        TestGgufFiles.writeLoraAdapter(
                zero, "llama", spec.blockCount(), spec.embeddingLength(), spec.feedForwardLength(), 4, 0f, 11);
        TestGgufFiles.writeLoraAdapter(
                active, "llama", spec.blockCount(), spec.embeddingLength(), spec.feedForwardLength(), 4, 1.0f, 11);
        GenerationRequest request = GenerationRequest.greedy(CHAT_PROMPT, 24);
        String base = runtime.complete(request).text();
        try (LlamaRuntime withZero = LlamaRuntime.load(options(llama).withAdapters(List.of(LoraAdapterRef.of(zero))))) {
            assertEquals(base, withZero.complete(request).text());
        }
        try (LlamaRuntime withActive =
                LlamaRuntime.load(options(llama).withAdapters(List.of(LoraAdapterRef.of(active))))) {
            assertNotEquals(base, withActive.complete(request).text());
        }
        Path wrongArch = dir.resolve("lora-qwen2.gguf");
        TestGgufFiles.writeLoraAdapter(
                wrongArch, "qwen2", spec.blockCount(), spec.embeddingLength(), spec.feedForwardLength(), 4, 1.0f, 11);
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> LlamaRuntime.load(options(llama).withAdapters(List.of(LoraAdapterRef.of(wrongArch)))));
        assertTrue(e.getMessage().contains(wrongArch.toString()), e.getMessage());
        // a scale other than 1 no longer fails: the adapter is composed (see AdapterCompositionIT)
        try (LlamaRuntime half =
                LlamaRuntime.load(options(llama).withAdapters(List.of(new LoraAdapterRef(active, 0.5f))))) {
            assertNotEquals(base, half.complete(request).text());
        }
    }

    @Test
    void embeddingsWithLastPooling() {
        try (LlamaRuntime rt = LlamaRuntime.load(options(llama).withEmbeddings(EmbeddingPooling.LAST))) {
            float[] a = rt.embed("Hello the world");
            assertEquals(TinyModelSpec.llamaDefault().embeddingLength(), a.length);
            assertArrayEquals(a, rt.embed("Hello the world"));
        }
        assertThrows(IllegalStateException.class, () -> runtime.embed("x"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
