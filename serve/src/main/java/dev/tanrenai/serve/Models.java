package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;

/** {@code GET /v1/models} and the model names a request may give. */
final class Models {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The name for "whatever this server routes to". */
    static final String DEFAULT = "tanrenai";

    private Models() {}

    static Set<String> names(ServeState state) {
        Set<String> names = new LinkedHashSet<>();
        names.add(DEFAULT);
        for (Arm a : Arm.values()) {
            ModelSlot s = state.slots().get(a);
            if (s != null) {
                names.add(a.wireName());
                names.add(s.modelId());
            }
        }
        return names;
    }

    static ObjectNode list(ServeState state) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String name : names(state)) {
            ObjectNode m = data.addObject();
            m.put("id", name);
            m.put("object", "model");
            m.put("created", 0);
            m.put("owned_by", "tanrenai");
        }
        return root;
    }

    /** The model named in a request must be one this server has (or empty). */
    static void requireKnown(ServeState state, String model) {
        if (!model.isEmpty() && !names(state).contains(model)) {
            throw new OpenAiException(
                    404,
                    "invalid_request_error",
                    "model_not_found",
                    "model",
                    "the model '" + model + "' does not exist here; use one of " + names(state));
        }
    }
}
