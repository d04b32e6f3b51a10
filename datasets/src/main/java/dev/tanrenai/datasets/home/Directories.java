package dev.tanrenai.datasets.home;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Working-directory housekeeping shared by the stages. */
public final class Directories {
    private Directories() {}

    /** Deletes everything inside {@code dir} (not {@code dir} itself); nothing happens when it does not exist. */
    public static void clear(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!f.equals(dir)) {
                    Files.delete(f);
                }
            }
        }
    }
}
