package dev.tanrenai.serve;

import dev.tanrenai.models.runtime.LlamaRuntime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model (a base GGUF, optionally with an adapter) serving one arm. llama.cpp runs as many
 * generations at once as the runtime has slots ({@link LlamaRuntime#parallel()}); up to
 * {@code queueCapacity} more requests may wait, and beyond that a request is refused at once (429)
 * instead of piling up in memory. A slot being replaced
 * stops taking requests, finishes those it has, then closes ({@link #drainAndClose}).
 *
 * @param modelId the registry id served: the adapter's id, or the base model's when there is none
 */
public final class ModelSlot implements AutoCloseable {

    private final Arm arm;
    private final String modelId;
    private final String baseModelId;
    private final String adapterId;
    private final LlamaRuntime runtime;
    private final Semaphore admission;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean retiring;

    public ModelSlot(Arm arm, String baseModelId, String adapterId, LlamaRuntime runtime, int queueCapacity) {
        this.arm = Objects.requireNonNull(arm, "arm");
        this.baseModelId = Objects.requireNonNull(baseModelId, "baseModelId");
        this.adapterId = adapterId;
        this.modelId = adapterId != null ? adapterId : baseModelId;
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.admission = new Semaphore(queueCapacity + runtime.parallel());
    }

    public Arm arm() {
        return arm;
    }

    public String modelId() {
        return modelId;
    }

    public String baseModelId() {
        return baseModelId;
    }

    /** The adapter's id, or null. */
    public String adapterId() {
        return adapterId;
    }

    public LlamaRuntime runtime() {
        return runtime;
    }

    /** Requests admitted and not finished (generating or waiting). */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Admits a request, or refuses it: 429 when the queue is full, 503 when the slot is being replaced
     * (the caller then routes again). Release with {@link #release()}.
     */
    public boolean tryAdmit() {
        if (retiring) {
            return false;
        }
        if (!admission.tryAcquire()) {
            throw new OpenAiException(
                    429,
                    "rate_limit_exceeded",
                    "queue_full",
                    null,
                    "the " + arm.wireName()
                            + " model's queue is full (" + (admission.availablePermits() + inFlight.get())
                            + " requests); retry shortly");
        }
        inFlight.incrementAndGet();
        if (retiring) { // lost a race with retire(): hand the request back for rerouting
            release();
            return false;
        }
        return true;
    }

    public void release() {
        inFlight.decrementAndGet();
        admission.release();
    }

    /** Stops admitting, waits up to {@code grace} for admitted requests, then closes the model. */
    public void drainAndClose(Duration grace) {
        retiring = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        runtime.close();
    }

    @Override
    public void close() {
        retiring = true;
        runtime.close();
    }
}
