package dev.tanrenai.models.runtime;

import de.kherud.llama.LlamaModel;
import java.lang.reflect.Field;

/**
 * Reads whether a {@link LlamaModel} really holds a native context.
 *
 * <p>java-llama.cpp 4.2.0's constructor returns normally, leaving the private {@code ctx} handle at
 * 0, when llama.cpp's argument parser rejects the parameters; any later call then crashes the JVM.
 * This check turns that silent failure into an error.
 */
final class NativeHandle {
    private NativeHandle() {}

    static boolean isLoaded(LlamaModel model) {
        try {
            Field ctx = LlamaModel.class.getDeclaredField("ctx");
            ctx.setAccessible(true);
            return ctx.getLong(model) != 0L;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot read LlamaModel.ctx to verify the load; java-llama.cpp is not version 4.2.0?", e);
        }
    }
}
