package dev.tanrenai.evaluate.suite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.provenance.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A reference text file of the general suite, split into documents: a {@code .jsonl} file has one
 * document per line in its {@code text} field; any other file is plain UTF-8 text whose documents are
 * its paragraphs (separated by blank lines). Invalid UTF-8, malformed JSON and lines without a string
 * {@code text} are errors naming the file and line.
 *
 * @param name the file's name as reports show it
 * @param sha256 SHA-256 of the file's bytes
 */
public record GeneralText(String name, String sha256, List<Document> documents) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A document and its id ({@code <file name>#<index>}). */
    public record Document(String id, String text) {}

    public GeneralText {
        documents = List.copyOf(documents);
    }

    /** Reads a file. */
    public static GeneralText read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "general suite text file not found");
        }
        return parse(file.getFileName().toString(), bytes);
    }

    /** Reads a classpath resource (a bundled text). */
    public static GeneralText resource(String name, String resource) throws IOException {
        try (InputStream in = GeneralText.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("bundled general text " + resource + " is missing from the build");
            }
            return parse(name, in.readAllBytes());
        }
    }

    static GeneralText parse(String name, byte[] bytes) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(name + ": not valid UTF-8 (" + e.getMessage() + ")", e);
        }
        List<Document> docs = new ArrayList<>();
        if (name.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IOException(
                            name + ", line " + (i + 1) + ": malformed JSON: " + e.getOriginalMessage(), e);
                }
                JsonNode t = node.get("text");
                if (t == null || !t.isTextual()) {
                    throw new IOException(name + ", line " + (i + 1) + ", field text: expected a string, got "
                            + (t == null
                                    ? "no such field"
                                    : t.getNodeType().toString().toLowerCase(Locale.ROOT)));
                }
                if (!t.asText().isBlank()) {
                    docs.add(new Document(name + "#" + docs.size(), t.asText()));
                }
            }
        } else {
            for (String paragraph : text.replace("\r\n", "\n").split("\n\\s*\n")) {
                String p = paragraph.strip();
                if (!p.isEmpty()) {
                    docs.add(new Document(name + "#" + docs.size(), p));
                }
            }
        }
        return new GeneralText(name, Sha256.ofBytes(bytes), docs);
    }
}
