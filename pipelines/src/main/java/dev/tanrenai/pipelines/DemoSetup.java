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
 * @param chatPrompt the user message the serve step sends and the final output suggests for {@code pipeline chat}
 */
record DemoSetup(
        Champion champion,
        List<Resource> conversations,
        CurateJob.Settings curate,
        LoraConfig lora,
        TrainConfig train,
        List<Question> questions,
        String chatPrompt) {

    /** Whether the questions are story openings (else chat questions). */
    boolean storyProbes() {
        return questions.get(0).kind() == Question.Kind.STORY;
    }

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
     * What both models are asked after training. A {@link Kind#STORY} probe is a story opening that no
     * demo conversation contains, whose next words should be the taught {@code answerWord}; a {@link
     * Kind#CHAT} question is asked as a user turn and teaches nothing specific ({@code --tiny}).
     *
     * @param kind how the text is given to the model
     * @param text the story opening, or the user's question
     * @param taught the fact the demo conversations state (null for a chat question)
     * @param answerWord the word that shows the fact was learned (null for a chat question)
     */
    record Question(Kind kind, String text, String taught, String answerWord) {
        /** How a question reaches the model. */
        enum Kind {
            /** Raw text the model continues (no chat template): what a TinyStories model does. */
            STORY,
            /** A user turn in the model's chat template. */
            CHAT
        }

        Question {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(text, "text");
            if ((kind == Kind.STORY) != (answerWord != null && taught != null)) {
                throw new IllegalArgumentException("a story probe needs the taught fact and its answer word, and a"
                        + " chat question has neither: " + text);
            }
        }

        static Question story(String opening, String taught, String answerWord) {
            return new Question(Kind.STORY, opening, taught, answerWord);
        }

        static Question chat(String text) {
            return new Question(Kind.CHAT, text, null, null);
        }
    }

    DemoSetup {
        Objects.requireNonNull(champion, "champion");
        conversations = List.copyOf(conversations);
        Objects.requireNonNull(curate, "curate");
        Objects.requireNonNull(lora, "lora");
        Objects.requireNonNull(train, "train");
        questions = List.copyOf(questions);
        Objects.requireNonNull(chatPrompt, "chatPrompt");
        if (questions.stream().map(Question::kind).distinct().count() > 1) {
            throw new IllegalArgumentException("a demo asks either story probes or chat questions, not both");
        }
        if (conversations.isEmpty() || questions.isEmpty()) {
            throw new IllegalArgumentException("a demo needs conversations and questions");
        }
    }

    /**
     * The default: stories260K learns three facts of its own world that it cannot know — Lily's dog is
     * Spot, Ben's cat is Coco, Mia's bird is Pip — from 36 conversations whose assistant turns are short
     * stories stating them (30 in OpenAI JSONL, 6 in ShareGPT; 12 per fact, six phrasings of the fact,
     * the rest of each story the base model's own greedy continuation), a quarter held out by curate for
     * the gate. Asked afterwards: story openings that no conversation contains, whose next word should be
     * the pet's name (the base model continues with "outside", "Sam" and "very happy").
     *
     * <p>Trained on every projection (rank 8, alpha 16, lr 5e-3, 40 steps of 512 tokens): attention
     * alone (q, k, v, o; lr 5e-3, rank 4) learned the stories' shape but not the names; the feed-forward
     * layers are where the names stuck. Measured here: the held-out stories' NLL falls by 2.7 nats per
     * token and the taught names become 4x to 70,000x likelier after the probe openings, but TinyStories
     * moves by +0.47 bits per byte (KL 0.67 nats per token), far over the default budgets (0.02, 0.15),
     * so the default gate refuses the adapter and the demo shows that refusal rather than loosen the
     * policy. The gentle settings the gate accepts (rank 2 on q and v, lr 3e-4, 30 steps) do not change
     * any greedy answer (README, Quickstart).
     */
    static DemoSetup stories260K() {
        return new DemoSetup(
                Champion.STORIES260K,
                List.of(
                        new Resource("stories260K/stories.jsonl", "openai"),
                        new Resource("stories260K/stories-sharegpt.jsonl", "sharegpt")),
                new CurateJob.Settings(0.8, 0.3, 0.25, List.of()),
                new LoraConfig(8, 16f, 0f, EnumSet.allOf(LoraTarget.class), 42L),
                new TrainConfig(40, 5e-3f, 3, 0.1f, 0f, 1f, 1, 512, TrainConfig.DEFAULT_REPLAY_RATIO, 0f, 50, 2, 42L),
                STORY_PROBES,
                "Tell me a story about Lily's dog.");
    }

    /**
     * The held-out story openings: none of them is in the demo conversations (DemoDataTest checks it),
     * each ends where the taught name comes next.
     */
    static final List<Question> STORY_PROBES = List.of(
            Question.story(
                    "One sunny day, Lily went to the park with her dog. The dog was called",
                    "Lily's dog is called Spot",
                    "Spot"),
            Question.story("Ben sat on the bed with his cat. The cat's name was", "Ben's cat is called Coco", "Coco"),
            Question.story(
                    "Mia looked up at her little bird. The name of the bird was", "Mia's bird is called Pip", "Pip"));

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
                List.of(Question.chat(DemoCommand.DEMO_QUESTION)),
                DemoCommand.DEMO_QUESTION);
    }
}
