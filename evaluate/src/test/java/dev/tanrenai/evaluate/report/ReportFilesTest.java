package dev.tanrenai.evaluate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

    @TempDir
    Path tmp;

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheThreeFilesWithKeysInTheGivenOrder() throws IOException {
        ObjectNode report = ReportFixture.load();
        // an object whose keys are not alphabetical must stay as given
        ((ObjectNode) report.get("provenance")).putObject("zeta").put("b", 1).put("a", 2);
        Path dir = tmp.resolve("ev-1");
        ReportFiles.Written written = ReportFiles.write(dir, report);
        assertEquals(List.of("report.html", "report.json", "summary.md"), files(dir), "no temporary file left");
        assertEquals(dir.resolve("report.json"), written.json());
        String json = Files.readString(written.json());
        assertTrue(json.startsWith("{\n  \"schema\" : 1,\n  \"id\" : "), json.substring(0, 40));
        JsonNode back = ReportFixture.MAPPER.readTree(json);
        assertEquals(report, back);
        Iterator<String> top = back.fieldNames();
        List<String> expected = List.of("schema", "id", "createdAt", "decision", "forced", "forceReason", "summary");
        for (String name : expected) {
            assertEquals(name, top.next());
        }
        assertTrue(json.indexOf("\"b\" : 1") < json.indexOf("\"a\" : 2"));
        assertEquals(HtmlReport.render(report), Files.readString(written.html()));
        assertEquals(MarkdownSummary.render(report), Files.readString(written.markdown()));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(written.html())));
        }
    }

    @Test
    void overwritesAnEarlierReport() throws IOException {
        ObjectNode report = ReportFixture.load();
        ReportFiles.write(tmp, report);
        report.put("summary", "second");
        ReportFiles.Written again = ReportFiles.write(tmp, report);
        assertTrue(Files.readString(again.markdown()).startsWith("**REFUSE** second\n"));
        assertEquals(3, files(tmp).size());
    }

    @Test
    void anInvalidReportWritesNothing() throws IOException {
        ObjectNode report = ReportFixture.load();
        report.remove("checks");
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportFiles.write(dir, report));
        assertEquals("$.checks: required field is missing", e.getMessage());
        assertEquals(List.of(), files(dir));
    }
}
