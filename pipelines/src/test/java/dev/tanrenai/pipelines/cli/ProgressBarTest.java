package dev.tanrenai.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void rendersFractionCountsAndEta() {
        AtomicLong now = new AtomicLong(0);
        ProgressBar bar = new ProgressBar("import", 200, new PrintStream(new ByteArrayOutputStream()), true, now::get);
        now.set(10_000_000_000L); // 10 s for the first half -> 10 s left
        String line = bar.render(100, now.get());
        assertTrue(line.startsWith("import [###############               ]  50% 100/200"), line);
        assertTrue(line.endsWith("elapsed 0:10 eta 0:10"), line);
    }

    @Test
    void nonInteractiveOutputPrintsAtMostElevenLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(0);
        try (ProgressBar bar =
                new ProgressBar("x", 1000, new PrintStream(bytes, true, StandardCharsets.UTF_8), false, now::get)) {
            for (int i = 0; i <= 1000; i++) {
                bar.update(i);
            }
        }
        long lines = bytes.toString(StandardCharsets.UTF_8).lines().count();
        assertEquals(11, lines);
    }
}
