package dev.tanrenai.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufTensorInfo;
import dev.tanrenai.models.gguf.GgufValue;
import dev.tanrenai.models.gguf.GgufWriter;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strings from a model file never reach the terminal as control characters: a GGUF whose metadata
 * holds escape sequences (clear the screen, set the title, 8-bit CSI, carriage return) is shown with
 * them escaped as {@code \u001b}, in text, JSON and error messages.
 */
class CliControlCharactersTest {

    static final String HOSTILE_NAME = "evil\u001b[2J\u001b]0;pwned\u0007\rname\u009b31m\u007f";

    @TempDir
    Path dir;

    /** A tiny model with {@code overrides} put over its metadata (and an extra hostile key). */
    private Path model(String file, Map<String, String> overrides) throws Exception {
        Path tiny = dir.resolve("tiny-" + file);
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), tiny);
        Path out = dir.resolve(file);
        try (GgufFile g = GgufFile.open(tiny)) {
            GgufWriter w = new GgufWriter(g.alignment());
            for (Map.Entry<String, GgufValue> e : g.metadata().asMap().entrySet()) {
                if (!overrides.containsKey(e.getKey())) {
                    w.put(e.getKey(), e.getValue());
                }
            }
            overrides.forEach(w::putString);
            w.putString("evil.key\u001b[31m", "value\u001b[0m\u009b");
            for (GgufTensorInfo t : g.tensors()) {
                w.addTensor(t.name(), t.shape(), t.type(), g.rawData(t));
            }
            w.write(out);
        }
        return out;
    }

    /** No C0 control other than newline and tab, no DEL, no C1 control. */
    static void assertNoControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
            assertTrue(
                    !control,
                    "raw control character U+" + String.format("%04X", (int) c) + " at " + i + " in:\n" + text);
        }
    }

    @Test
    void inspectEscapesControlCharactersOfMetadata() throws Exception {
        Path evil = model("evil.gguf", Map.of("general.name", HOSTILE_NAME));
        CliRun text = CliRun.ok("models", "inspect", evil.toString());
        assertNoControlCharacters(text.out());
        assertTrue(text.out().contains("evil\\u001b[2J\\u001b]0;pwned\\u0007\\u000dname\\u009b31m\\u007f"), text.out());
        assertTrue(text.out().contains("evil.key\\u001b[31m"), text.out());

        CliRun json = CliRun.ok("models", "inspect", evil.toString(), "--json");
        assertNoControlCharacters(json.out());
        JsonNode parsed = json.json();
        assertEquals(HOSTILE_NAME, parsed.at("/name").asText(), "JSON escapes, and loses nothing");
    }

    @Test
    void registrationListingAndErrorsEscapeThemToo() throws Exception {
        String home = dir.resolve("home").toString();
        Path evil = model("evil.gguf", Map.of("general.name", HOSTILE_NAME));
        CliRun add = CliRun.ok("models", "add", evil.toString(), "--name", "evil\u001b[2J", "--home", home);
        assertNoControlCharacters(add.out());
        CliRun list = CliRun.ok("models", "list", "--home", home);
        assertNoControlCharacters(list.out());
        assertTrue(list.out().contains("evil\\u001b[2J"), list.out());

        Path notAnAdapter = model("type.gguf", Map.of("general.type", "model\u001b[2J"));
        CliRun refused =
                CliRun.run("models", "add-adapter", notAnAdapter.toString(), "--base", "evil\u001b[2J", "--home", home);
        assertEquals(1, refused.exitCode(), refused.out() + refused.err());
        assertNoControlCharacters(refused.err());
        assertTrue(refused.err().contains("general.type is 'model\\u001b[2J'"), refused.err());
    }
}
