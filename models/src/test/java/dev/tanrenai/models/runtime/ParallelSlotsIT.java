package dev.tanrenai.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime with several llama.cpp slots generates for several threads at once (their generations
 * overlap), each thread gets the greedy answer of its own prompt, a further caller waits for a slot,
 * and close stops them all.
 */
class ParallelSlotsIT {

    private static final int SLOTS = 4;
    private static final int TOKENS = 200;

    @TempDir
    Path dir;

    private static String prompt(int i) {
        return "<|im_start|>user\nquestion " + i + " about the world<|im_end|>\n<|im_start|>assistant\n";
    }

    @Test
    void generationsOnSeveralSlotsOverlapAndEachGetsItsOwnAnswer() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        RuntimeOptions options =
                RuntimeOptions.defaults(model, dir.resolve("native")).withContextLength(512);
        try (LlamaRuntime runtime = LlamaRuntime.load(options, SLOTS)) {
            assertEquals(SLOTS, runtime.parallel());
            List<String> alone = new ArrayList<>();
            for (int i = 0; i < SLOTS; i++) {
                alone.add(runtime.complete(GenerationRequest.greedy(prompt(i), TOKENS))
                        .text());
            }
            long[] firstToken = new long[SLOTS];
            long[] end = new long[SLOTS];
            ExecutorService pool = Executors.newFixedThreadPool(SLOTS);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < SLOTS; i++) {
                    int k = i;
                    answers.add(pool.submit(() -> {
                        AtomicLong first = new AtomicLong();
                        Completion c = runtime.stream(
                                GenerationRequest.greedy(prompt(k), TOKENS),
                                piece -> first.compareAndSet(0, System.nanoTime()),
                                new CancellationToken());
                        firstToken[k] = first.get();
                        end[k] = System.nanoTime();
                        return c.text();
                    }));
                }
                for (int i = 0; i < SLOTS; i++) {
                    assertEquals(alone.get(i), answers.get(i).get(2, TimeUnit.MINUTES), "prompt " + i);
                }
            } finally {
                pool.shutdownNow();
            }
            long lastFirst = Long.MIN_VALUE;
            long firstEnd = Long.MAX_VALUE;
            for (int i = 0; i < SLOTS; i++) {
                lastFirst = Math.max(lastFirst, firstToken[i]);
                firstEnd = Math.min(firstEnd, end[i]);
            }
            assertTrue(lastFirst < firstEnd, "every generation had its first token before any ended: they ran at once");
        }
    }

    @Test
    void aCallerBeyondTheSlotsWaitsAndCloseStopsEveryone() throws Exception {
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        RuntimeOptions options =
                RuntimeOptions.defaults(model, dir.resolve("native")).withContextLength(512);
        LlamaRuntime runtime = LlamaRuntime.load(options, 2);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            java.util.concurrent.CountDownLatch generating = new java.util.concurrent.CountDownLatch(2);
            java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
            List<Future<Completion>> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int k = i;
                running.add(pool.submit(() -> runtime.stream(
                        GenerationRequest.greedy(prompt(k), 400),
                        piece -> {
                            generating.countDown();
                            try {
                                hold.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        new CancellationToken())));
            }
            assertTrue(generating.await(60, TimeUnit.SECONDS));
            AtomicLong thirdStarted = new AtomicLong();
            Future<Completion> third = pool.submit(() -> runtime.stream(
                    GenerationRequest.greedy(prompt(2), 400),
                    piece -> thirdStarted.compareAndSet(0, System.nanoTime()),
                    new CancellationToken()));
            Thread.sleep(300);
            assertEquals(0, thirdStarted.get(), "a third generation started while both slots were busy");
            Thread closer = new Thread(runtime::close);
            closer.start();
            hold.countDown();
            closer.join(60_000);
            for (Future<Completion> f : running) {
                assertEquals(FinishReason.CANCELLED, f.get(60, TimeUnit.SECONDS).finishReason());
            }
            assertEquals(FinishReason.CANCELLED, third.get(60, TimeUnit.SECONDS).finishReason());
            assertTrue(runtime.isClosed());
            assertThrows(IllegalStateException.class, () -> runtime.tokenize("x"));
        } finally {
            pool.shutdownNow();
            runtime.close();
        }
    }
}
