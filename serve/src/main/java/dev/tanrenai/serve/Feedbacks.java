package dev.tanrenai.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Feedback;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.StoreException;
import java.time.Instant;

/**
 * {@code POST /v1/feedback}: {@code {"conversation_id", "message_index"?, "rating", "comment"?}} where
 * the rating is {@code "up"}, {@code "down"} or a number in [-1, 1]; stored for curation.
 */
final class Feedbacks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConversationStore store;

    Feedbacks(ConversationStore store) {
        this.store = store;
    }

    ObjectNode record(JsonNode body) {
        String conversationId = body.path("conversation_id").asText("");
        if (conversationId.isEmpty()) {
            throw OpenAiException.badRequest("conversation_id", "conversation_id is required");
        }
        JsonNode rating = body.get("rating");
        double score;
        if (rating != null && rating.isTextual() && rating.asText().equals("up")) {
            score = 1;
        } else if (rating != null && rating.isTextual() && rating.asText().equals("down")) {
            score = -1;
        } else if (rating != null && rating.isNumber() && rating.asDouble() >= -1 && rating.asDouble() <= 1) {
            score = rating.asDouble();
        } else {
            throw OpenAiException.badRequest("rating", "rating must be \"up\", \"down\" or a number in [-1, 1]");
        }
        Integer index = null;
        if (body.hasNonNull("message_index")) {
            if (!body.get("message_index").canConvertToInt()
                    || body.get("message_index").asInt() < 0) {
                throw OpenAiException.badRequest("message_index", "message_index must be an integer >= 0");
            }
            index = body.get("message_index").asInt();
        }
        String comment = body.hasNonNull("comment") ? body.get("comment").asText() : null;
        long seq;
        try {
            seq = store.recordFeedback(new Feedback(conversationId, index, score, comment, Instant.now()));
        } catch (StoreException e) {
            throw new OpenAiException(404, "invalid_request_error", "not_found", "conversation_id", e.getMessage());
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("object", "feedback");
        out.put("id", seq);
        out.put("conversation_id", conversationId);
        return out;
    }
}
