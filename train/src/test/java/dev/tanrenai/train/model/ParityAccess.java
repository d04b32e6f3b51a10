package dev.tanrenai.train.model;

import java.nio.file.Path;

/** Lets tests of other packages run the package-private {@link Parity} checks. */
public final class ParityAccess {
    private ParityAccess() {}

    public static int checkGreedy(Path model, Path adapter, Path nativeDir, String prompt, int n) throws Exception {
        return Parity.checkGreedy(model, adapter, nativeDir, prompt, n);
    }
}
