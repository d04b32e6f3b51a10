package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.models.registry.AliasMove;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.registry.RegistryException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The model admin routes: load a registered model into an arm, switch the champion, unload the
 * challenger, all at run time. Loading moves the arm's registry alias (recorded in its history), loads
 * the new model before anything is swapped, then swaps atomically: the old model finishes what it
 * admitted and closes (as promotion does). A model that cannot be served leaves the alias and the
 * serving model as they were.
 */
final class ModelAdmin {
    private ModelAdmin() {}

    /** {@code POST /admin/models/load {"model": REF, "arm": "challenger"|"champion"}} (arm default challenger). */
    static Map<String, Object> load(SlotLoader loader, ServeState state, AliasWatcher watcher, JsonNode body) {
        Arm arm = body.hasNonNull("arm") ? Arm.fromName(body.get("arm").asText()) : Arm.CHALLENGER;
        return swap(loader, state, watcher, arm, reference(body), "/admin/models/load");
    }

    /** {@code POST /admin/models/switch {"model": REF}}: the champion serves REF from now on. */
    static Map<String, Object> switchChampion(
            SlotLoader loader, ServeState state, AliasWatcher watcher, JsonNode body) {
        return swap(loader, state, watcher, Arm.CHAMPION, reference(body), "/admin/models/switch");
    }

    /**
     * {@code POST /admin/models/unload {"arm": "challenger"}}: the challenger stops serving (its traffic
     * share goes to 0) and its model is closed after its admitted requests; the alias watcher does not
     * load it again until the alias moves or it is loaded through the admin route. The champion cannot
     * be unloaded: switch it instead.
     */
    static Map<String, Object> unload(ServeState state, JsonNode body) {
        Arm arm = body.hasNonNull("arm") ? Arm.fromName(body.get("arm").asText()) : Arm.CHALLENGER;
        if (arm == Arm.CHAMPION) {
            throw new OpenAiException(
                    409,
                    "invalid_request_error",
                    "champion_required",
                    "arm",
                    "the champion cannot be unloaded (something must serve); switch it with /admin/models/switch");
        }
        ModelSlot current = state.slots().get(arm);
        if (current == null) {
            throw new OpenAiException(
                    409,
                    "invalid_request_error",
                    "not_loaded",
                    "arm",
                    "the " + arm.wireName() + " has no model loaded");
        }
        state.setChallengerShare(0, "unload of " + current.modelId());
        state.holdUnloaded(arm, current.modelId());
        state.slots().remove(arm);
        state.event("unload", arm.wireName() + ": " + current.modelId() + " unloaded through /admin/models/unload");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("arm", arm.wireName());
        out.put("unloaded", current.modelId());
        return out;
    }

    private static String reference(JsonNode body) {
        String ref = body.path("model").asText("");
        if (ref.isBlank()) {
            throw OpenAiException.badRequest("model", "model is required: a registry id, alias, name or sha256 prefix");
        }
        return ref;
    }

    private static Map<String, Object> swap(
            SlotLoader loader, ServeState state, AliasWatcher watcher, Arm arm, String reference, String route) {
        ModelRef target;
        try {
            target = loader.registry().resolve(reference);
        } catch (RegistryException e) {
            throw new OpenAiException(404, "invalid_request_error", "model_not_found", "model", e.getMessage());
        }
        ModelSlot slot;
        try {
            slot = loader.load(arm, target); // before anything moves: a refused model changes nothing
        } catch (RuntimeException e) {
            ModelSlot current = state.slots().get(arm);
            throw new OpenAiException(
                    409,
                    "invalid_request_error",
                    "model_refused",
                    "model",
                    e.getMessage() + (current == null ? "" : "; " + current.modelId() + " keeps serving"));
        }
        Optional<ModelRef> previous;
        AliasMove move;
        synchronized (watcher) { // the watcher must not load the moved alias a second time meanwhile
            previous = loader.target(arm.wireName());
            try {
                move = loader.registry()
                        .moveAlias(arm.wireName(), target.id(), "loaded through " + route, "serve-admin");
            } catch (RuntimeException e) {
                slot.close();
                throw e;
            }
            ModelSlot replaced = state.slots().get(arm);
            state.releaseHold(arm);
            state.slots().install(slot);
            state.event(
                    "load",
                    arm.wireName() + " -> " + target.id() + " through " + route
                            + (replaced == null ? "" : " (replacing " + replaced.modelId() + ")"));
        }
        watcher.sync();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("arm", arm.wireName());
        out.put("alias", move.alias());
        out.put("from", previous.map(ModelRef::id).orElse(null));
        out.put("to", target.id());
        out.put("serving", state.slots().get(arm).modelId());
        out.put("challenger_share", state.challengerShare());
        return out;
    }
}
