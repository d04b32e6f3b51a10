package dev.tanrenai.serve;

import dev.tanrenai.models.registry.ModelRef;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the slots on what the registry's {@code champion} and {@code challenger} aliases point at:
 * a moved alias is loaded in the background and swapped in; a target that cannot be served is
 * refused once (recorded as an event) and the current model keeps serving.
 */
public final class AliasWatcher implements AutoCloseable {

    private final SlotLoader loader;
    private final ServeState state;
    private final Set<String> refused = new HashSet<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alias-watcher");
        t.setDaemon(true);
        return t;
    });

    public AliasWatcher(SlotLoader loader, ServeState state) {
        this.loader = loader;
        this.state = state;
    }

    /** Brings both arms in line with the registry now; returns whether a champion is serving. */
    public synchronized boolean sync() {
        for (Arm arm : Arm.values()) {
            Optional<ModelRef> target = loader.target(arm.wireName());
            ModelSlot current = state.slots().get(arm);
            if (target.isEmpty()) {
                if (current != null && arm == Arm.CHALLENGER) {
                    state.slots().remove(arm);
                    state.event("unload", "challenger alias removed: " + current.modelId() + " unloaded");
                }
                continue;
            }
            String id = target.get().id();
            if (current != null && current.modelId().equals(id)) {
                continue;
            }
            if (refused.contains(id) || state.isHeld(arm, id)) {
                continue;
            }
            try {
                ModelSlot slot = loader.load(arm, target.get());
                state.slots().install(slot);
                state.event(
                        "load",
                        arm.wireName() + " -> " + id
                                + (current == null ? "" : " (replacing " + current.modelId() + ")"));
            } catch (RuntimeException e) {
                refused.add(id);
                state.event(
                        "refused",
                        e.getMessage() + (current == null ? "" : "; " + current.modelId() + " keeps serving"));
                if (arm == Arm.CHAMPION && current == null) {
                    state.slots()
                            .championUnavailable("the champion model " + id + " cannot be served: " + e.getMessage()
                                    + "; point the 'champion' alias at a servable model");
                }
            }
        }
        return state.slots().get(Arm.CHAMPION) != null;
    }

    /** Re-checks the aliases every {@code seconds}. */
    public void watch(long seconds) {
        timer.scheduleWithFixedDelay(this::syncQuietly, seconds, seconds, TimeUnit.SECONDS);
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            state.event("watch-error", "reading the registry failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
