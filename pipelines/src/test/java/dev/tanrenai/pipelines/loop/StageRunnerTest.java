package dev.tanrenai.pipelines.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StageRunnerTest {

    @Test
    void aFailedAttemptIsRetriedAfterTheDelay() {
        AtomicInteger calls = new AtomicInteger();
        List<String> log = new ArrayList<>();
        long start = System.nanoTime();
        StageRunner.Attempted<String> a = new StageRunner(Duration.ofMinutes(1), 2, Duration.ofMillis(300))
                .run(
                        LoopStage.EXTRACT,
                        () -> {
                            if (calls.incrementAndGet() < 3) {
                                throw new IOException("store busy");
                            }
                            return "done";
                        },
                        log::add,
                        m -> {});
        assertEquals("done", a.value());
        assertEquals(3, a.attempts());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(600), "waited twice");
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(0).contains("extract: attempt 1 failed (store busy)"), log.toString());
    }

    @Test
    void theLastFailureNamesTheStageAndTheAttempts() {
        StageFailedException e =
                assertThrows(StageFailedException.class, () -> new StageRunner(Duration.ofMinutes(1), 1, Duration.ZERO)
                        .run(
                                LoopStage.TRAIN,
                                () -> {
                                    throw new IllegalStateException("training diverged");
                                },
                                m -> {},
                                m -> {}));
        assertEquals(LoopStage.TRAIN, e.stage());
        assertEquals("train: training diverged (after 2 attempts)", e.getMessage());
    }

    @Test
    void aCancellationIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(RunCancelledException.class, () -> new StageRunner(Duration.ofMinutes(1), 3, Duration.ZERO)
                .run(
                        LoopStage.CURATE,
                        () -> {
                            calls.incrementAndGet();
                            throw new RunCancelledException("n-1", LoopStage.CURATE);
                        },
                        m -> {},
                        m -> {}));
        assertEquals(1, calls.get());
    }

    @Test
    void aStageOverItsTimeoutIsRecordedThenTheProcessIsEnded() throws Exception {
        List<String> recorded = new ArrayList<>();
        CountDownLatch halted = new CountDownLatch(1);
        Thread stage = Thread.currentThread();
        assertThrows(StageFailedException.class, () -> new StageRunner(Duration.ofMillis(200), 0, Duration.ZERO)
                .run(
                        LoopStage.EVALUATE,
                        () -> {
                            Thread.sleep(10_000);
                            return null;
                        },
                        m -> {},
                        recorded::add,
                        () -> {
                            halted.countDown();
                            stage.interrupt(); // the real halt ends the JVM; here it wakes the stage
                        }));
        assertTrue(halted.await(5, TimeUnit.SECONDS));
        assertEquals(1, recorded.size());
        assertTrue(recorded.get(0).startsWith("evaluate: timed out after 0 s"), recorded.toString());
        Thread.interrupted();
    }
}
