package dev.tanrenai.pipelines.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes a command's result: human text, or one JSON document with {@code --json}.
 *
 * <p>Paths appear in JSON as plain absolute file-system paths ({@code /home/me/runs/t-...}), which
 * scripts can hand to any tool; Jackson's default would write {@code file:///...} URIs.
 */
public final class Output {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new SimpleModule("plain-paths").addSerializer(Path.class, new PlainPathSerializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    static {
        JSON.getFactory().setCharacterEscapes(new TerminalText.JsonEscapes());
    }

    private final PrintWriter out;
    private final boolean json;

    public Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** The output of the command {@code spec} (its command line's standard output). */
    public static Output of(CommandSpec spec, boolean json) {
        return new Output(spec.commandLine().getOut(), json);
    }

    /** Prints text as it comes (streamed generation); ignored in JSON mode. */
    public void partial(String text) {
        if (!json) {
            out.print(text);
            out.flush();
        }
    }

    public boolean json() {
        return json;
    }

    /**
     * Prints a line of human output; ignored in JSON mode. Control characters (from model metadata,
     * stored text, ...) are shown escaped ({@link TerminalText}).
     */
    public void line(String text) {
        if (!json) {
            out.println(TerminalText.escape(text));
            out.flush();
        }
    }

    /** Prints the JSON result; ignored in text mode. */
    public void result(Object value) {
        if (json) {
            try {
                out.println(JSON.writeValueAsString(value));
                out.flush();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot render the result as JSON: " + e.getMessage(), e);
            }
        }
    }

    public static ObjectMapper mapper() {
        return JSON;
    }

    /** A path as its absolute, normalized file-system form. */
    static final class PlainPathSerializer extends StdSerializer<Path> {
        PlainPathSerializer() {
            super(Path.class);
        }

        @Override
        public void serialize(Path value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toAbsolutePath().normalize().toString());
        }
    }
}
