package dev.tanrenai.decoder;

/** How a forward-only scoring pass runs (see {@link DecoderModel#logProbs}). */
public enum ForwardEngine {
    /**
     * One DJL operation per JNI call: the decoder training differentiates through, and the reference
     * the scripted pass is tested against.
     */
    DJL("djl"),
    /**
     * The same operations in one TorchScript call per pass ({@link ScriptedForward}): what scoring
     * uses: it saves the per-operation cost of the JNI calls, which is much of a small model's pass.
     */
    TORCHSCRIPT("torchscript");

    private final String key;

    ForwardEngine(String key) {
        this.key = key;
    }

    /** The short name used in results and on the command line. */
    public String key() {
        return key;
    }
}
