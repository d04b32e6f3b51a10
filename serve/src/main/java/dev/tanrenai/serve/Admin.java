package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.models.registry.AliasMove;
import dev.tanrenai.models.registry.ModelRef;
import dev.tanrenai.models.validate.ModelValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin operations, each recorded in the registry's alias history and as a serving event:
 * promote the challenger to champion, roll the champion back to its previous model. The new model
 * is loaded before anything is swapped; if it cannot be served the alias is moved back.
 */
final class Admin {
    private Admin() {}

    static Map<String, Object> promote(SlotLoader loader, ServeState state, AliasWatcher watcher) {
        ModelSlot challenger = state.slots().get(Arm.CHALLENGER);
        if (challenger == null) {
            throw new OpenAiException(
                    409, "invalid_request_error", "no_challenger", null, "there is no challenger to promote");
        }
        ModelRef previous = loader.target("champion").orElseThrow();
        AliasMove move = moveChampion(loader, challenger.modelId(), "promoted through /admin/promote");
        swapOrUndo(loader, state, watcher, previous);
        state.setChallengerShare(0, "promotion of " + challenger.modelId());
        return result(move, state);
    }

    static Map<String, Object> rollback(SlotLoader loader, ServeState state, AliasWatcher watcher) {
        List<AliasMove> history = loader.registry().history("champion");
        AliasMove last = history.isEmpty() ? null : history.get(history.size() - 1);
        if (last == null || last.fromId() == null) {
            throw new OpenAiException(
                    409,
                    "invalid_request_error",
                    "no_previous_champion",
                    null,
                    "the champion alias has no previous model to roll back to");
        }
        ModelRef previous = loader.target("champion").orElseThrow();
        AliasMove move = moveChampion(loader, last.fromId(), "rolled back through /admin/rollback");
        swapOrUndo(loader, state, watcher, previous);
        return result(move, state);
    }

    private static void swapOrUndo(SlotLoader loader, ServeState state, AliasWatcher watcher, ModelRef previous) {
        ModelRef target = loader.target("champion").orElseThrow();
        try {
            state.slots().install(loader.load(Arm.CHAMPION, target));
            state.event("load", "champion -> " + target.id());
        } catch (RuntimeException e) {
            moveChampion(loader, previous.id(), "undo: " + e.getMessage());
            throw new OpenAiException(
                    409,
                    "invalid_request_error",
                    "model_refused",
                    null,
                    e.getMessage() + "; " + previous.id() + " keeps serving");
        }
        watcher.sync();
    }

    /** The serving events, oldest first: {@code [{"at": ISO-8601 instant, "kind", "reason"}]}. */
    static ArrayNode events(ServeState state) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (ChallengerGuard.Event e : state.events()) {
            ObjectNode event = out.addObject();
            event.put("at", e.at().toString());
            event.put("kind", e.kind());
            event.put("reason", e.reason());
        }
        return out;
    }

    /** Moves the champion alias; a model the registry's validation refuses is a 409, not a 500. */
    private static AliasMove moveChampion(SlotLoader loader, String targetId, String reason) {
        try {
            return loader.registry().moveAlias("champion", targetId, reason, "serve-admin");
        } catch (ModelValidationException e) {
            throw new OpenAiException(
                    409,
                    "invalid_request_error",
                    "model_refused",
                    null,
                    "the champion alias cannot point at " + targetId + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> result(AliasMove move, ServeState state) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alias", move.alias());
        out.put("from", move.fromId());
        out.put("to", move.toId());
        ModelSlot champion = state.slots().get(Arm.CHAMPION);
        out.put("champion", champion == null ? null : champion.modelId());
        out.put("challenger_share", state.challengerShare());
        return out;
    }
}
