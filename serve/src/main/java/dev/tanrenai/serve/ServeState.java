package dev.tanrenai.serve;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the endpoint is doing now: its slots, the split, metrics and the rollback events. */
public final class ServeState {

    private final ServeConfig config;
    private final Slots slots;
    private final ServeMetrics metrics = new ServeMetrics();
    private final ChallengerGuard guard;
    private volatile ChallengerGuard.Window window;
    private volatile double challengerShare;
    private volatile boolean shadow;
    private final List<ChallengerGuard.Event> events = new ArrayList<>();
    private final java.util.Map<Arm, String> held = new java.util.concurrent.ConcurrentHashMap<>();

    public ServeState(ServeConfig config, Slots slots, ChallengerGuard guard) {
        this.config = config;
        this.slots = slots;
        this.guard = guard;
        this.window = guard.new Window();
        this.challengerShare = config.challengerShare();
    }

    public ServeConfig config() {
        return config;
    }

    public Slots slots() {
        return slots;
    }

    public ServeMetrics metrics() {
        return metrics;
    }

    public double challengerShare() {
        return challengerShare;
    }

    public void setChallengerShare(double share, String why) {
        if (!(share >= 0 && share <= 1)) {
            throw OpenAiException.badRequest("challenger_share", "challenger_share must be in [0, 1], got " + share);
        }
        challengerShare = share;
        window.reset();
        event("split", why + ": challenger share " + share);
    }

    /** Whether the challenger also answers (unseen) copies of champion requests. */
    public boolean shadow() {
        return shadow;
    }

    public void setShadow(boolean on, String why) {
        shadow = on;
        event("shadow", why + ": shadow mode " + (on ? "on" : "off"));
    }

    /** Feeds the guard; a tripped guard sends the challenger's traffic back to the champion. */
    void observe(Arm arm, boolean failed, double seconds) {
        java.util.function.Consumer<Arm> hook = failureHook;
        if (failed && hook != null) {
            hook.accept(arm);
        }
        if (arm != Arm.CHALLENGER || challengerShare == 0) {
            return;
        }
        String reason = window.record(failed, seconds);
        if (reason != null) {
            challengerShare = 0;
            window = guard.new Window();
            event("rollback", "challenger traffic back to the champion: " + reason);
        }
    }

    private volatile java.util.function.Consumer<Arm> failureHook;

    /** Called with the arm of every server-side generation failure (the A/B experiment counts them). */
    void onFailure(java.util.function.Consumer<Arm> hook) {
        failureHook = hook;
    }

    /** An admin unloaded {@code modelId} from {@code arm}: the alias watcher leaves the arm empty for it. */
    void holdUnloaded(Arm arm, String modelId) {
        held.put(arm, modelId);
    }

    void releaseHold(Arm arm) {
        held.remove(arm);
    }

    /** Whether an admin unloaded {@code modelId} from {@code arm} (and nothing was loaded there since). */
    boolean isHeld(Arm arm, String modelId) {
        return modelId.equals(held.get(arm));
    }

    public synchronized void event(String kind, String reason) {
        events.add(new ChallengerGuard.Event(Instant.now(), kind, reason));
    }

    public synchronized List<ChallengerGuard.Event> events() {
        return List.copyOf(events);
    }
}
