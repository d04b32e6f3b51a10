package dev.tanrenai.pipelines;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The built-in demo conversations, copied out for tests that need a file. */
final class CliRunData {
    private CliRunData() {}

    static Path demo(Path dir) throws Exception {
        Path file = dir.resolve("demo-conversations.jsonl");
        try (InputStream in =
                CliRunData.class.getResourceAsStream("/dev/tanrenai/pipelines/demo/conversations.jsonl")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
