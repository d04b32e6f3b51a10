package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's NOTICE names every bundled third-party file's folder (each has a LICENSE-NOTE.md
 * beside it), and the bundled stories260K.gguf is the file its LICENSE-NOTE.md describes.
 */
class NoticeTest {

    /** The repository root: surefire runs in the module's directory. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void noticeNamesEveryBundledLicenceNote() throws Exception {
        String notice = Files.readString(ROOT.resolve("NOTICE"), StandardCharsets.UTF_8);
        List<Path> notes;
        try (Stream<Path> files = Files.walk(ROOT)) {
            notes = files.filter(p -> p.getFileName().toString().equals("LICENSE-NOTE.md"))
                    .filter(p -> p.toString().contains("/src/main/resources/"))
                    .toList();
        }
        assertTrue(notes.size() >= 6, "the stories260K note and evaluate's five: " + notes);
        for (Path note : notes) {
            String dir = ROOT.relativize(note.getParent()).toString();
            String listed = dir.contains("/evaluate/tasks/")
                    ? ROOT.relativize(note.getParent().getParent()) + "/"
                    : dir + "/";
            assertTrue(notice.contains(listed), "NOTICE does not name " + listed);
        }
    }

    @Test
    void theBundledModelIsTheOneItsLicenceNoteDescribes() throws Exception {
        String note;
        byte[] model;
        try (InputStream in =
                NoticeTest.class.getResourceAsStream(DemoCommand.RESOURCES + "stories260K/LICENSE-NOTE.md")) {
            note = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (InputStream in = NoticeTest.class.getResourceAsStream(DemoCommand.RESOURCES + DemoChampion.STORIES260K)) {
            model = in.readAllBytes();
        }
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        assertEquals("270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d", sha);
        assertTrue(note.contains(sha), "the note names the file's SHA-256");
        assertTrue(note.contains("MIT License") && note.contains("Copyright (c) 2023 Andrej"), note);
    }
}
