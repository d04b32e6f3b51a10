package dev.tanrenai.evaluate.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Writes an evaluation's three report files into a directory: {@code report.json} (pretty-printed, keys
 * in the order of the given tree), {@code report.html} ({@link HtmlReport}) and {@code summary.md}
 * ({@link MarkdownSummary}). All three are rendered before any is written, so an invalid report writes
 * nothing; each is written to a temporary file in the same directory and moved into place atomically,
 * so a reader never sees half a file.
 */
public final class ReportFiles {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ReportFiles() {}

    /** The paths written. */
    public record Written(Path json, Path html, Path markdown) {
        public Written {
            Objects.requireNonNull(json, "json");
            Objects.requireNonNull(html, "html");
            Objects.requireNonNull(markdown, "markdown");
        }
    }

    /**
     * @throws IllegalArgumentException naming the JSON path of a missing or malformed required field
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static Written write(Path dir, JsonNode report) {
        EvaluationReport parsed = ReportReader.read(report);
        String html = HtmlReport.render(parsed);
        String markdown = MarkdownSummary.render(parsed);
        String json;
        try {
            json = JSON.writeValueAsString(report) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise report " + parsed.id(), e);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create report directory " + dir, e);
        }
        return new Written(
                atomically(dir.resolve("report.json"), json),
                atomically(dir.resolve("report.html"), html),
                atomically(dir.resolve("summary.md"), markdown));
    }

    private static Path atomically(Path target, String content) {
        Path temp = null;
        try {
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            if (Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                // a temporary file is owner-only; a report is for the team to read
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
