package dev.tanrenai.models.runtime;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.PoolingType;
import dev.tanrenai.datasets.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One model (plus optional LoRA adapters, composed into one when needed) loaded in llama.cpp through java-llama.cpp 4.2.0.
 *
 * <p><b>Threads</b>: every method may be called from any thread at once. Generations run on the
 * runtime's llama.cpp slots ({@link #load(RuntimeOptions, int)}; one by default): as many at once as
 * there are slots, batched together by llama.cpp, further ones wait for a free slot (that wait is not
 * part of {@link Completion#elapsed()}). Tokenizing and templates do not wait for generations.
 *
 * <p><b>Bounded time</b>: {@link #complete} and {@link #stream} check the timeout and the
 * cancellation token after every generated token and then cancel the llama.cpp task, so they end
 * within one token's time of the deadline. Prompt processing before the first token cannot be
 * interrupted.
 *
 * <p><b>Closing</b>: {@link #close} cancels an in-flight generation, waits for it to return, then
 * frees the model; it is idempotent, and every other method then throws
 * {@code IllegalStateException("runtime closed")}. After close, java-llama.cpp leaves a non-daemon
 * native thread running, so a command-line {@code main} that used a runtime must end with
 * {@link System#exit}.
 */
public final class LlamaRuntime implements AutoCloseable {
    private final RuntimeOptions options;
    private final LlamaModel model;
    private final SplitCharacters splitCharacters;
    /** Shared by every operation, exclusive to freeing the model. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<CancellationToken> inFlight = ConcurrentHashMap.newKeySet();
    private final int parallel;
    /** One permit per llama.cpp slot: generations beyond them wait here, not in llama.cpp's queue. */
    private final Semaphore slots;

    private boolean modelFreed; // guarded by the write lock

    private LlamaRuntime(RuntimeOptions options, LlamaModel model, SplitCharacters splitCharacters, int parallel) {
        this.options = options;
        this.model = model;
        this.splitCharacters = splitCharacters;
        this.parallel = parallel;
        this.slots = new Semaphore(parallel, true);
    }

    /**
     * Loads the base model and adapters of {@code options}.
     *
     * <p><b>Adapters</b>: java-llama.cpp 4.2.0 hands llama.cpp at most one adapter and only at scale 1
     * (its {@code --lora-scaled} argument is malformed and its parameters keep one value per flag). A
     * single adapter at scale 1 is loaded as is; any other list (several adapters, or any scale other
     * than 1, including 0 and negative scales) is first composed by {@link AdapterComposer} into one
     * equivalent adapter GGUF in {@code <nativeDir>/adapters} (cached by content hash) which is loaded
     * at scale 1.
     *
     * @throws ModelLoadException naming the file when it is missing, not GGUF, or llama.cpp rejects it
     */
    public static LlamaRuntime load(RuntimeOptions options) {
        return load(options, 1);
    }

    /**
     * As {@link #load(RuntimeOptions)} with {@code parallel} llama.cpp slots: up to that many
     * generations run at once, decoded together in one batch per step (llama.cpp's continuous
     * batching), each slot with its own KV cache of {@code options.contextLength()} tokens (the
     * context is allocated {@code parallel} times as large).
     */
    public static LlamaRuntime load(RuntimeOptions options, int parallel) {
        Objects.requireNonNull(options, "options");
        if (parallel < 1 || parallel > 64) {
            throw new IllegalArgumentException("parallel slots must be in [1, 64], got " + parallel);
        }
        ModelFileCheck.requireGguf(options.baseModel(), "base model");
        for (LoraAdapterRef adapter : options.adapters()) {
            ModelFileCheck.requireGguf(adapter.path(), "LoRA adapter");
        }
        // llama.cpp aborts the JVM on some hyper-parameters and serves Inf/NaN from broken weights
        ModelFileCheck.requireSoundBase(options.baseModel());
        for (LoraAdapterRef adapter : options.adapters()) {
            ModelFileCheck.requireSoundAdapter(adapter.path(), options.baseModel());
        }
        SplitCharacters split;
        try {
            split = SplitCharacters.of(options.baseModel());
        } catch (RuntimeException e) {
            throw new ModelLoadException(options.baseModel(), "its vocabulary could not be read: " + e.getMessage(), e);
        }
        Path adapter = adapterToLoad(options);
        if (adapter != null) {
            ModelFileCheck.requireSoundAdapter(adapter, options.baseModel()); // a composition can overflow
        }
        ModelParameters params = new ModelParameters()
                .setModel(options.baseModel().toString())
                .setCtxSize(options.contextLength() * parallel)
                .setThreads(options.threads())
                .setThreadsBatch(options.threads())
                .setBatchSize(options.batchSize())
                .setParallel(parallel)
                .setSeed(options.seed())
                .enableJinja(); // the model's own template, tool calls included (see ChatTemplate)
        if (!NativeLibrary.verbose()) {
            params.disableLog();
        }
        if (adapter != null) {
            params.addLoraAdapter(adapter.toString());
        }
        if (options.embeddings()) {
            params.enableEmbedding().setPoolingType(poolingType(options.pooling()));
        }
        NativeLibrary.prepare(options.nativeDir());
        LlamaModel model;
        try {
            model = new LlamaModel(params);
        } catch (RuntimeException e) {
            throw new ModelLoadException(
                    options.baseModel(),
                    "llama.cpp could not load it" + adapterNote(options, adapter) + ": " + e.getMessage(),
                    e);
        } catch (LinkageError e) {
            throw new ModelLoadException(
                    options.baseModel(),
                    "the llama.cpp native library did not load from "
                            + System.getProperty(NativeLibrary.TMPDIR_PROPERTY) + ": " + e,
                    e);
        }
        if (!NativeHandle.isLoaded(model)) {
            throw new ModelLoadException(
                    options.baseModel(),
                    "llama.cpp rejected the load parameters "
                            + String.join(" ", params.toArray()).trim()
                            + adapterNote(options, adapter));
        }
        return new LlamaRuntime(options, model, split, parallel);
    }

    /**
     * The one adapter file handed to llama.cpp: none, the single adapter at scale 1 as is, or else the
     * {@link AdapterComposer composition} of all adapters in {@code <nativeDir>/adapters}.
     */
    private static Path adapterToLoad(RuntimeOptions options) {
        List<LoraAdapterRef> adapters = options.adapters();
        if (adapters.isEmpty()) {
            return null;
        }
        if (adapters.size() == 1 && adapters.get(0).scale() == 1.0f) {
            return adapters.get(0).path();
        }
        Path cacheDir = options.nativeDir().resolve("adapters");
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new ModelLoadException(
                    cacheDir, "cannot create the directory for composed LoRA adapters: " + e.getMessage(), e);
        }
        return AdapterComposer.compose(options.baseModel(), adapters, cacheDir);
    }

    private static String adapterNote(RuntimeOptions options, Path adapter) {
        if (adapter == null) {
            return "";
        }
        if (adapter.equals(options.adapters().get(0).path())) {
            return " with adapter " + adapter;
        }
        return " with adapter " + adapter + " composed from " + options.adapters();
    }

    private static PoolingType poolingType(EmbeddingPooling pooling) {
        switch (pooling) {
            case LAST:
                return PoolingType.LAST;
            case CLS:
                return PoolingType.CLS;
            default:
                throw new IllegalArgumentException("unsupported pooling " + pooling);
        }
    }

    /** The options this runtime was loaded with. */
    public RuntimeOptions options() {
        return options;
    }

    /**
     * The tokens of {@code text}, without BOS. Special-token text such as {@code <|im_start|>} is
     * always parsed into its special token: java-llama.cpp 4.2.0 offers no switch for that.
     */
    public int[] tokenize(String text) {
        Objects.requireNonNull(text, "text");
        return locked(() -> model.encode(text));
    }

    /** The text of {@code tokens}. */
    public String detokenize(int[] tokens) {
        Objects.requireNonNull(tokens, "tokens");
        return locked(() -> model.decode(tokens));
    }

    /**
     * Renders {@code messages} with the model's own chat template (ChatML when the GGUF has none).
     *
     * @param addGenerationPrompt whether to end with the opening of an assistant turn
     */
    public String applyChatTemplate(List<Message> messages, boolean addGenerationPrompt) {
        String body = ChatTemplate.requestBody(messages, addGenerationPrompt);
        return locked(() -> model.applyTemplate(body));
    }

    /**
     * As {@link #applyChatTemplate(List, boolean)}, telling the template about the functions the model
     * may call (OpenAI {@code tools} array; templates without tool support get llama.cpp's polyfill).
     */
    public String applyChatTemplate(
            List<Message> messages, com.fasterxml.jackson.databind.JsonNode tools, boolean addGenerationPrompt) {
        String body = ChatTemplate.requestBody(messages, tools, addGenerationPrompt);
        return locked(() -> model.applyTemplate(body));
    }

    /** Generates for {@code request}, bounded by its timeout. */
    public Completion complete(GenerationRequest request) {
        return stream(request, TokenListener.none(), new CancellationToken());
    }

    /**
     * Generates for {@code request}, handing each token's text to {@code listener} as it is produced.
     * Ends on the model's end token or a stop string (STOP), after {@code maxTokens} (LENGTH), when
     * {@code cancel} is cancelled or the runtime closed (CANCELLED), or after the timeout (TIMEOUT).
     */
    public Completion stream(GenerationRequest request, TokenListener listener, CancellationToken cancel) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancel, "cancel");
        return locked(() -> {
            inFlight.add(cancel);
            try {
                if (!awaitSlot(cancel)) {
                    return new Completion("", FinishReason.CANCELLED, 0, 0, Duration.ZERO);
                }
                try {
                    return generate(request, listener, cancel);
                } finally {
                    slots.release();
                }
            } finally {
                inFlight.remove(cancel);
            }
        });
    }

    /** Waits for a free slot; false when cancelled or closed meanwhile. */
    private boolean awaitSlot(CancellationToken cancel) {
        try {
            while (!slots.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                if (cancel.isCancelled() || closed.get()) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /** The llama.cpp slots: how many generations run at once. */
    public int parallel() {
        return parallel;
    }

    private Completion generate(GenerationRequest request, TokenListener listener, CancellationToken cancel) {
        long start = System.nanoTime();
        long deadline = start + request.timeout().toNanos();
        int promptTokens = model.encode(request.prompt()).length;
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        FinishReason reason = null;
        if (cancel.isCancelled()) {
            return new Completion("", FinishReason.CANCELLED, 0, promptTokens, elapsedSince(start));
        }
        LlamaIterator iterator;
        try {
            iterator = model.generate(inferenceParameters(request)).iterator();
        } catch (RuntimeException e) {
            throw new GenerationException(
                    "llama.cpp rejected a generation request (prompt of " + promptTokens + " tokens): "
                            + e.getMessage(),
                    e);
        }
        int pieces = 0; // one per generated token, except those held back (see SplitCharacters)
        boolean lastPieceEmpty = false;
        try {
            while (iterator.hasNext()) {
                LlamaOutput output = nextOutput(iterator, promptTokens);
                tokens += splitCharacters.heldBack(output.text);
                if (!iterator.hasNext()) {
                    // the final result of a stream carries no new text, only the end marker
                    appendPiece(text, listener, output.text);
                    break;
                }
                tokens++;
                pieces++;
                lastPieceEmpty = output.text.isEmpty();
                appendPiece(text, listener, output.text);
                if (cancel.isCancelled() || closed.get()) {
                    reason = FinishReason.CANCELLED;
                    break;
                }
                if (System.nanoTime() - deadline >= 0) {
                    reason = FinishReason.TIMEOUT;
                    break;
                }
            }
        } finally {
            if (iterator.hasNext()) {
                iterator.cancel();
            }
        }
        if (reason == null) {
            // llama.cpp ends a stream on the end token (whose piece is empty), a stop string, the limit, or a full
            // context. Without stop strings, with room for every token and a last piece that is not the end token's,
            // only the limit is left: then exactly maxTokens were generated, however many were held back.
            boolean endToken = pieces == 0 || lastPieceEmpty;
            boolean roomForAll = promptTokens + 1 + request.maxTokens() <= options.contextLength();
            if (tokens >= request.maxTokens() || (!endToken && request.stop().isEmpty() && roomForAll)) {
                reason = FinishReason.LENGTH;
                tokens = request.maxTokens();
            } else {
                reason = FinishReason.STOP;
            }
        }
        return new Completion(text.toString(), reason, tokens, promptTokens, elapsedSince(start));
    }

    private static LlamaOutput nextOutput(LlamaIterator iterator, int promptTokens) {
        try {
            return iterator.next();
        } catch (RuntimeException e) {
            throw new GenerationException(
                    "llama.cpp failed while generating (prompt of " + promptTokens + " tokens): " + e.getMessage(), e);
        }
    }

    private static void appendPiece(StringBuilder text, TokenListener listener, String piece) {
        if (!piece.isEmpty()) {
            text.append(piece);
            listener.onToken(piece);
        }
    }

    private static InferenceParameters inferenceParameters(GenerationRequest request) {
        InferenceParameters params = new InferenceParameters(request.prompt())
                .setNPredict(request.maxTokens())
                .setTemperature(request.temperature())
                .setTopP(request.topP())
                .setSeed((int) request.seed())
                // a reused KV cache evaluates only the new suffix, in a batch of its own; llama.cpp's float results
                // depend on the batch split (with the cache off, batch 8 instead of 512 changed the greedy answer of
                // 3-5
                // of 12 conversations on generated models, as the cache did): keep runs repeatable
                .setCachePrompt(false);
        if (!request.stop().isEmpty()) {
            params.setStopStrings(request.stop().toArray(new String[0]));
        }
        return params;
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * The embedding of {@code text}, pooled as configured.
     *
     * <p>java-llama.cpp 4.2.0 computes embeddings WITHOUT the loaded LoRA adapters (its embedding task
     * carries an empty adapter list that the server applies before decoding), so this is the base
     * model's embedding even when adapters change the generated text.
     *
     * @throws IllegalStateException when the runtime was loaded without embeddings
     */
    public float[] embed(String text) {
        Objects.requireNonNull(text, "text");
        if (!options.embeddings()) {
            throw new IllegalStateException(
                    "embeddings are off for " + options.baseModel() + "; load with RuntimeOptions.withEmbeddings");
        }
        return locked(() -> model.embed(text));
    }

    /** Cancels the in-flight generations, waits for them, and frees the model. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (CancellationToken running : inFlight) {
            running.cancel();
        }
        if (lock.getReadHoldCount() > 0) {
            // closed from a TokenListener: the last operation to return frees the model
            return;
        }
        lock.writeLock().lock();
        try {
            freeModel();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Frees the native model once; the caller holds the write lock. */
    private void freeModel() {
        if (!modelFreed) {
            modelFreed = true;
            model.close();
        }
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    private interface Operation<T> {
        T run();
    }

    private <T> T locked(Operation<T> operation) {
        requireOpen();
        lock.readLock().lock();
        try {
            requireOpen();
            return operation.run();
        } finally {
            lock.readLock().unlock();
            if (closed.get() && lock.getReadHoldCount() == 0 && lock.writeLock().tryLock()) {
                try {
                    freeModel(); // closed while running (or from a listener): the last one out frees the model
                } finally {
                    lock.writeLock().unlock();
                }
            }
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("runtime closed");
        }
    }
}
