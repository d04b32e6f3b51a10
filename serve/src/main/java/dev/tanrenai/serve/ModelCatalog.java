package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.models.registry.Adapter;
import dev.tanrenai.models.registry.BaseModel;
import dev.tanrenai.models.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models}: OpenAI's list with every name a request may give (the server's name, the
 * arms, the loaded models) and then every registered base model and adapter, each with Tanrenai's
 * extra fields: {@code kind} (server, arm, base, adapter), {@code loaded} (serving in an arm now),
 * {@code arms} (which arms serve it), {@code aliases} (registry aliases pointing at it) and, for an
 * adapter, {@code base_model}.
 */
final class ModelCatalog {
    private ModelCatalog() {}

    static ObjectNode list(ServeState state, ModelRegistry registry) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        Map<String, String> aliases = registry.aliases();
        ObjectNode server = entry(data, Models.DEFAULT, "server");
        server.put("loaded", true);
        for (Arm arm : Arm.values()) {
            ModelSlot slot = state.slots().get(arm);
            if (slot != null) {
                ObjectNode a = entry(data, arm.wireName(), "arm");
                a.put("loaded", true);
                a.put("serves", slot.modelId());
            }
        }
        for (BaseModel base : registry.baseModels()) {
            ObjectNode m = entry(data, base.id(), "base");
            m.put("name", base.name());
            m.put("architecture", base.architecture());
            m.put("size_bytes", base.sizeBytes());
            describe(m, base.id(), state, aliases);
        }
        for (Adapter adapter : registry.adapters()) {
            ObjectNode m = entry(data, adapter.id(), "adapter");
            m.put("base_model", adapter.baseModelId());
            m.put("size_bytes", adapter.sizeBytes());
            describe(m, adapter.id(), state, aliases);
        }
        return root;
    }

    private static ObjectNode entry(ArrayNode data, String id, String kind) {
        ObjectNode m = data.addObject();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", 0);
        m.put("owned_by", "tanrenai");
        m.put("kind", kind);
        return m;
    }

    private static void describe(ObjectNode m, String id, ServeState state, Map<String, String> aliases) {
        List<String> arms = new ArrayList<>();
        for (Arm arm : Arm.values()) {
            ModelSlot slot = state.slots().get(arm);
            if (slot != null && slot.modelId().equals(id)) {
                arms.add(arm.wireName());
            }
        }
        m.put("loaded", !arms.isEmpty());
        ArrayNode armNodes = m.putArray("arms");
        arms.forEach(armNodes::add);
        ArrayNode aliasNodes = m.putArray("aliases");
        aliases.forEach((alias, target) -> {
            if (target.equals(id)) {
                aliasNodes.add(alias);
            }
        });
    }
}
