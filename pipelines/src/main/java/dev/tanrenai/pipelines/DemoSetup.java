package dev.tanrenai.pipelines;

import dev.tanrenai.curate.CurateJob;
import dev.tanrenai.decoder.lora.LoraConfig;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.train.loop.TrainConfig;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * What {@code pipeline demo} runs on: its model, its conversations, how it curates and trains, and
 * the questions it asks the champion and the challenger side by side.
 *
 * @param champion how the first champion is made: the bundled stories260K, or a tiny random model
 * @param conversations demo resources to import, each with its format
 * @param curate curate settings (the held-out share decides what the evaluation scores)
 * @param lora the adapter's shape
 * @param train the training run
 * @param questions asked of both models after training
 */
record DemoSetup(
        Champion champion,
        List<Resource> conversations,
        CurateJob.Settings curate,
        LoraConfig lora,
        TrainConfig train,
        List<Question> questions) {

    /** The demo's first champion. */
    enum Champion {
        /** The bundled stories260K.gguf (MIT), copied into the home's models directory. */
        STORIES260K,
        /** A llama-shaped model with seeded random weights, written by Tanrenai's GGUF writer. */
        TINY_RANDOM
    }

    /** A bundled conversation file (under the demo resources) and its format name. */
    record Resource(String name, String format) {
        Resource {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(format, "format");
        }
    }

    /**
     * A question for both models, with what the conversations taught and the word that shows it was
     * learned (null when nothing specific was taught).
     */
    record Question(String text, String taught, String answerWord) {
        Question {
            Objects.requireNonNull(text, "text");
        }
    }

    DemoSetup {
        Objects.requireNonNull(champion, "champion");
        conversations = List.copyOf(conversations);
        Objects.requireNonNull(curate, "curate");
        Objects.requireNonNull(lora, "lora");
        Objects.requireNonNull(train, "train");
        questions = List.copyOf(questions);
        if (conversations.isEmpty() || questions.isEmpty()) {
            throw new IllegalArgumentException("a demo needs conversations and questions");
        }
    }

    /**
     * The default: stories260K learns 72 made-up facts about children's pets (60 in OpenAI JSONL, 12
     * in ShareGPT), a quarter held out by curate for the evaluation. Trained gently — rank 2 on q and
     * v, lr 3e-4, 30 steps — because that is what the evidence supports: these settings improve the
     * held-out answers (NLL -0.39 nats per token, 95% CI -0.36 to -0.42) while TinyStories moves by
     * +0.007 bits per byte and KL 0.004, inside the default gate's budgets; rank 4 at lr 1e-3 for 60
     * steps already costs +0.22 bits per byte and is refused (README, Evaluation, Proof).
     */
    static DemoSetup stories260K() {
        return new DemoSetup(
                Champion.STORIES260K,
                List.of(
                        new Resource("stories260K/facts.jsonl", "openai"),
                        new Resource("stories260K/facts-sharegpt.jsonl", "sharegpt")),
                new CurateJob.Settings(0.8, 0.3, 0.25, List.of()),
                new LoraConfig(2, 16f, 0f, EnumSet.of(LoraTarget.Q, LoraTarget.V), 42L),
                new TrainConfig(30, 3e-4f, 3, 0.1f, 0f, 1f, 1, 256, TrainConfig.DEFAULT_REPLAY_RATIO, 0f, 50, 2, 42L),
                List.of(
                        new Question(
                                "What is Lily's dog called?",
                                "Lily has a red dog named Spot. Spot likes to play with Lily in the park.",
                                "Spot"),
                        new Question(
                                "What did Ben name his fish?",
                                "Ben has a brown fish named Coco. Coco likes to play with Ben in the park.",
                                "Coco"),
                        new Question(
                                "Mia has a bird. What is its name?",
                                "Mia has a green bird named Pip. Pip likes to play with Mia in the park.",
                                "Pip")));
    }

    /**
     * {@code --tiny}: a fast smoke run on a tiny model with random weights and the woodworking-shop
     * conversations; its replies are noise, trained hard (rank 8 everywhere, lr 5e-3, 80 steps) so the
     * loss visibly falls.
     */
    static DemoSetup tiny() {
        return new DemoSetup(
                Champion.TINY_RANDOM,
                List.of(new Resource("conversations.jsonl", "openai"), new Resource("sharegpt.jsonl", "sharegpt")),
                CurateJob.Settings.defaults(),
                new LoraConfig(8, 16f, 0f, EnumSet.allOf(LoraTarget.class), 42L),
                new TrainConfig(80, 5e-3f, 8, 0.1f, 0f, 1f, 1, 512, TrainConfig.DEFAULT_REPLAY_RATIO, 0f, 40, 2, 42L),
                List.of(new Question(DemoCommand.DEMO_QUESTION, null, null)));
    }
}
