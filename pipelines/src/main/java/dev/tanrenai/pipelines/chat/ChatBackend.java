package dev.tanrenai.pipelines.chat;

import dev.tanrenai.datasets.Message;
import java.util.List;

/**
 * Where {@code pipeline chat} gets its answers: a model loaded in this process, or a running
 * Tanrenai endpoint. Either way the turn is stored like a served conversation (in-process by serve's
 * conversation logger, remotely by the server) and feedback reaches the store.
 */
interface ChatBackend extends AutoCloseable {

    /** Receives generated text as it arrives. */
    interface Pieces {
        void accept(String piece);
    }

    /**
     * One answered turn.
     *
     * @param text the whole reply
     * @param model the id of the model that answered
     * @param conversationId where the store keeps the conversation (for feedback)
     * @param messageIndex the reply's index in the stored conversation
     * @param finishReason stop or length
     */
    record Turn(
            String text,
            String model,
            String conversationId,
            int messageIndex,
            String finishReason,
            int promptTokens,
            int completionTokens,
            double seconds) {}

    /**
     * Answers {@code messages} (system prompt first, if any), streaming the reply into {@code pieces}.
     *
     * @throws Stopped when {@code stop} was requested during the generation: nothing is stored
     */
    Turn answer(String conversationId, List<Message> messages, Settings settings, Pieces pieces, StopSignal stop);

    /** Records feedback on a reply. */
    void feedback(String conversationId, int messageIndex, double score);

    /** What serves: a model id (in-process) or the model name asked of the endpoint. */
    String describe();

    /** Serves {@code reference} from now on (a registry id, name or alias; for an endpoint, a model name). */
    void model(String reference);

    /** Serves the current base model with adapter {@code reference}, or without any when it is null. */
    void adapter(String reference);

    @Override
    void close();

    /** Sampling for each turn. */
    record Settings(int maxTokens, float temperature, long seed) {
        public Settings {
            if (maxTokens < 1) {
                throw new IllegalArgumentException("--max-tokens must be >= 1, got " + maxTokens);
            }
            if (!(temperature >= 0 && temperature <= 2)) {
                throw new IllegalArgumentException("--temperature must be in [0, 2], got " + temperature);
            }
        }
    }

    /** A generation stopped by the user (Ctrl-C); its partial reply is neither kept nor stored. */
    final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped");
        }
    }
}
