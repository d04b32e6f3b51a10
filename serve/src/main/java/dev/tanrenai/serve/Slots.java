package dev.tanrenai.serve;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live slots. Replacing one is a single atomic swap: new requests see the new model at once,
 * the old one finishes what it admitted on a background thread and then closes. No request fails
 * because of a swap: one that raced it is admitted again on the new slot.
 */
public final class Slots implements AutoCloseable {

    private final Map<Arm, AtomicReference<ModelSlot>> slots = new EnumMap<>(Arm.class);
    private final Duration drainGrace;
    private volatile String championUnavailable; // why there is no champion, when one was refused

    public Slots(Duration drainGrace) {
        this.drainGrace = drainGrace;
        for (Arm a : Arm.values()) {
            slots.put(a, new AtomicReference<>());
        }
    }

    /** The slot of {@code arm}, or null. */
    public ModelSlot get(Arm arm) {
        return slots.get(arm).get();
    }

    /**
     * An admitted slot for {@code arm} (the champion's when the arm has none), retrying when a swap
     * retires the slot under the request. Release it with {@link ModelSlot#release()}.
     *
     * @throws OpenAiException 503 when there is no champion, 429 when the queue is full
     */
    public ModelSlot admit(Arm arm) {
        for (int attempt = 0; attempt < 100; attempt++) {
            ModelSlot slot = get(arm);
            if (slot == null) {
                slot = get(Arm.CHAMPION);
            }
            if (slot == null) {
                String refused = championUnavailable;
                throw new OpenAiException(
                        503,
                        "server_error",
                        refused != null ? "model_refused" : "no_model",
                        null,
                        refused != null
                                ? refused
                                : "no champion model is loaded; register one and point the 'champion' alias at it");
            }
            if (slot.tryAdmit()) {
                return slot;
            }
            Thread.onSpinWait();
        }
        throw new OpenAiException(503, "server_error", "swapping", null, "the model is being replaced; retry");
    }

    /** Installs {@code slot} for its arm; the replaced one drains and closes in the background. */
    public void install(ModelSlot slot) {
        retire(slots.get(slot.arm()).getAndSet(slot));
        if (slot.arm() == Arm.CHAMPION) {
            championUnavailable = null;
        }
    }

    /**
     * Records why no champion serves (its model was refused): requests then get a 503 saying so,
     * naming the model, until a champion is installed.
     */
    public void championUnavailable(String why) {
        championUnavailable = why;
    }

    /** Why no champion serves, or null. */
    public String championUnavailable() {
        return championUnavailable;
    }

    /** Removes the arm's slot (it drains and closes in the background). */
    public void remove(Arm arm) {
        retire(slots.get(arm).getAndSet(null));
    }

    private void retire(ModelSlot old) {
        if (old != null) {
            Thread t = new Thread(
                    () -> old.drainAndClose(drainGrace), "retire-" + old.arm().wireName());
            t.setDaemon(true);
            t.start();
        }
    }

    /** Stops admitting and waits for admitted requests (up to the grace), then closes every slot. */
    @Override
    public void close() {
        for (Arm a : Arm.values()) {
            ModelSlot old = slots.get(a).getAndSet(null);
            if (old != null) {
                old.drainAndClose(drainGrace);
            }
        }
    }
}
