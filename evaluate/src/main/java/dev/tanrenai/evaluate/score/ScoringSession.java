package dev.tanrenai.evaluate.score;

import ai.djl.ndarray.NDManager;
import dev.tanrenai.decoder.Bf16Weights;
import dev.tanrenai.decoder.DecoderModel;
import dev.tanrenai.decoder.DecoderWeights;
import dev.tanrenai.decoder.ForwardEngine;
import dev.tanrenai.decoder.Precision;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.decoder.render.ConversationRenderer;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.runtime.LlamaRuntime;
import dev.tanrenai.models.runtime.LoraAdapterRef;
import dev.tanrenai.models.runtime.RuntimeOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an evaluation needs of one base model, loaded once: the frozen base weights in DJL
 * (shared by the baseline and the candidate, each with its own adapter on top), llama.cpp runtimes for
 * the chat template, tokenization and generation (one per adapter, since java-llama.cpp applies
 * adapters only at load), and the conversation renderer with the training mask.
 */
public final class ScoringSession implements AutoCloseable {

    private final ModelUnderTest base;
    private final RuntimeOptions runtimeOptions;
    private final ScoringSettings settings;
    private final NDManager manager;
    private final DecoderWeights weights;
    private final int bos;
    private final int eos;
    private final Map<String, DecoderModel> decoders = new LinkedHashMap<>();
    private final Map<String, LoraWeights> loras = new LinkedHashMap<>();
    private Bf16Weights bf16; // made on first bf16 use
    private final Map<String, LlamaRuntime> runtimes = new LinkedHashMap<>();
    private ConversationRenderer renderer;

    private ScoringSession(
            ModelUnderTest base,
            RuntimeOptions runtimeOptions,
            ScoringSettings settings,
            NDManager manager,
            DecoderWeights weights,
            int bos,
            int eos) {
        this.base = base;
        this.runtimeOptions = runtimeOptions;
        this.settings = settings;
        this.manager = manager;
        this.weights = weights;
        this.bos = bos;
        this.eos = eos;
    }

    /**
     * Loads {@code model}'s base weights.
     *
     * @param runtime options for the llama.cpp runtimes (threads, native directory); their base model
     *     and adapters are replaced by the model's
     */
    public static ScoringSession open(ModelUnderTest model, RuntimeOptions runtime, ScoringSettings settings)
            throws IOException {
        NDManager manager = NDManager.newBaseManager();
        try (GgufFile gguf = GgufFile.open(model.basePath())) {
            DecoderWeights weights = DecoderWeights.load(gguf, manager);
            var md = gguf.metadata();
            int context = md.optionalInt(weights.config().architecture() + ".context_length")
                    .orElse(settings.window());
            ScoringSettings fitted = settings.fittedTo(Math.min(context, runtime.contextLength()));
            return new ScoringSession(
                    model.base(),
                    runtime.withAdapters(List.of()),
                    fitted,
                    manager,
                    weights,
                    ConversationRenderer.bosOf(md),
                    md.optionalInt("tokenizer.ggml.eos_token_id").orElse(-1));
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The settings in use (the window fitted to the model's context). */
    public ScoringSettings settings() {
        return settings;
    }

    /** The model's BOS token, or -1 when it adds none. */
    public int bos() {
        return bos;
    }

    /** The model's EOS token, or -1 when it declares none. */
    public int eos() {
        return eos;
    }

    public int vocabularySize() {
        return weights.config().vocabSize();
    }

    /** The DJL decoder of {@code model} at the session's precision (see {@link #decoder(ModelUnderTest, Precision)}). */
    public DecoderModel decoder(ModelUnderTest model) {
        return decoder(model, settings.precision());
    }

    /**
     * The DJL decoder of {@code model} (its adapter, frozen, over the shared base weights) with its
     * matrix products at {@code precision}; the bf16 copy of the base weights is made once, on first use.
     */
    public synchronized DecoderModel decoder(ModelUnderTest model, Precision precision) {
        requireSameBase(model);
        Objects.requireNonNull(precision, "precision");
        Bf16Weights low =
                switch (precision) {
                    case FLOAT32 -> null;
                    case BFLOAT16 -> bf16Weights();
                };
        return decoders.computeIfAbsent(model.cacheKey() + "@" + precision.key(), key -> {
            if (!model.hasAdapter()) {
                return new DecoderModel(weights, null, low);
            }
            try {
                LoraWeights lora = loras.get(model.cacheKey());
                if (lora == null) {
                    lora = LoraWeights.loadFrozen(model.adapterPath(), manager);
                    lora.requireCompatible(weights.config());
                    loras.put(model.cacheKey(), lora);
                }
                return new DecoderModel(weights, lora, low);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read adapter " + model.adapterPath(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "adapter " + model.id() + " (" + model.adapterPath() + ") does not fit base model "
                                + base.basePath().getFileName() + ": " + e.getMessage(),
                        e);
            }
        });
    }

    private Bf16Weights bf16Weights() {
        if (bf16 == null) {
            bf16 = Bf16Weights.of(weights);
        }
        return bf16;
    }

    /** A forward-only scorer of {@code model} at the session's settings (an evaluation's scorer). */
    public TokenScorer scorer(ModelUnderTest model) {
        return new TokenScorer(decoder(model), settings);
    }

    /**
     * A forward-only scorer of {@code model} at {@code precision}, the other settings the session's:
     * for comparing precisions (benchmarks, accuracy checks). An evaluation scores every model with
     * {@link #scorer(ModelUnderTest)}, at one precision.
     */
    public TokenScorer scorer(ModelUnderTest model, Precision precision) {
        return scorer(model, precision, ForwardEngine.TORCHSCRIPT);
    }

    /**
     * As {@link #scorer(ModelUnderTest, Precision)}, its passes run on {@code engine}: the DJL ops are
     * the reference the TorchScript pass is tested and benchmarked against.
     */
    public TokenScorer scorer(ModelUnderTest model, Precision precision, ForwardEngine engine) {
        return new TokenScorer(decoder(model, precision), settings.withPrecision(precision), engine);
    }

    /** The llama.cpp runtime serving {@code model} (loaded on first use, closed with the session). */
    public synchronized LlamaRuntime runtime(ModelUnderTest model) {
        requireSameBase(model);
        return runtimes.computeIfAbsent(model.cacheKey(), key -> {
            RuntimeOptions options = runtimeOptions;
            if (model.hasAdapter()) {
                options = options.withAdapters(List.of(LoraAdapterRef.of(model.adapterPath())));
            }
            return LlamaRuntime.load(options);
        });
    }

    /** The base model's runtime: chat template and tokenizer (both independent of any adapter). */
    public LlamaRuntime tokenizer() {
        return runtime(base);
    }

    /** Renders conversations with the model's own template and the training's assistant-only mask. */
    public synchronized ConversationRenderer renderer() {
        if (renderer == null) {
            renderer = new ConversationRenderer(tokenizer(), bos);
        }
        return renderer;
    }

    /** {@code model} as lm-evaluation-harness sees a model: likelihoods on DJL, generation on llama.cpp. */
    public LanguageModel languageModel(ModelUnderTest model) {
        return new DecoderLanguageModel(this, model);
    }

    /** The NDManager scoring allocates its per-pass arrays under. */
    public NDManager manager() {
        return manager;
    }

    private void requireSameBase(ModelUnderTest model) {
        Objects.requireNonNull(model, "model");
        if (!model.baseSha256().equals(base.baseSha256())) {
            throw new IllegalArgumentException("model " + model.id() + " has base " + model.basePath()
                    + " (sha256 " + model.baseSha256().substring(0, 12) + "), but this session scores base "
                    + base.basePath() + " (sha256 " + base.baseSha256().substring(0, 12)
                    + "): candidate and baseline must share one base model");
        }
    }

    @Override
    public synchronized void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (LlamaRuntime r : runtimes.values()) {
            try {
                r.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        runtimes.clear();
        manager.close();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
