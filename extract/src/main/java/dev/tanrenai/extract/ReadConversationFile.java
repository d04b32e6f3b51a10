package dev.tanrenai.extract;

import dev.tanrenai.datasets.format.ChatFormat;
import dev.tanrenai.datasets.format.Envelope;
import dev.tanrenai.datasets.format.FileLayout;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads a conversation file (OpenAI or ShareGPT) as envelopes: JSONL, one per non-blank line with
 * its origin {@code FILE:LINE}, or a JSON array (as {@link FileLayout} decides from the whole
 * file, not its first line), one per element
 * with its origin {@code FILE:#INDEX} ({@link JsonArrayElements}). A line that is not valid UTF-8 keeps its raw bytes (Base64) so
 * the quarantine loses nothing.
 */
public final class ReadConversationFile extends PTransform<PBegin, PCollection<Incoming>> {

    private final String file;
    private final ChatFormat format;

    public ReadConversationFile(Path file, ChatFormat format) {
        this.file = file.toAbsolutePath().toString();
        this.format = format;
    }

    @Override
    public PCollection<Incoming> expand(PBegin begin) {
        return begin.apply("File " + Path.of(file).getFileName(), Create.of(file))
                .apply("Lines", ParDo.of(new LinesFn(format)))
                .apply(
                        "Incoming",
                        org.apache.beam.sdk.transforms.MapElements.into(
                                        org.apache.beam.sdk.values.TypeDescriptor.of(Incoming.class))
                                .via(Incoming::envelope));
    }

    static final class LinesFn extends DoFn<String, String> {
        private static final long serialVersionUID = 1L;
        /** The longest first line {@link FileLayout} reads to tell JSONL from a JSON array. */
        private static final long MAX_LAYOUT_LINE = 64L << 20;

        private final ChatFormat format;

        LinesFn(ChatFormat format) {
            this.format = format;
        }

        @ProcessElement
        public void process(@Element String file, OutputReceiver<String> out) {
            Path path = Path.of(file);
            String source = "import:" + format.name().toLowerCase(java.util.Locale.ROOT) + ":" + path.getFileName();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
                if (FileLayout.of(path, MAX_LAYOUT_LINE) == FileLayout.JSON_ARRAY) {
                    JsonArrayElements.read(
                            in.readAllBytes(),
                            path.getFileName().toString(),
                            (origin, bytes) -> emit(bytes, origin, source, out));
                    return;
                }
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                long number = 0;
                int b;
                while (true) {
                    b = in.read();
                    if (b == '\n' || b < 0) {
                        number++;
                        emit(line.toByteArray(), path.getFileName() + ":" + number, source, out);
                        line.reset();
                        if (b < 0) {
                            return;
                        }
                    } else {
                        line.write(b);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        private void emit(byte[] bytes, String origin, String source, OutputReceiver<String> out) {
            String text;
            try {
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                out.output(Envelope.ofInvalidUtf8(Base64.getEncoder().encodeToString(bytes), format, origin, source));
                return;
            }
            if (!text.isBlank()) {
                out.output(Envelope.ofLine(text.strip(), format, origin, source));
            }
        }
    }
}
