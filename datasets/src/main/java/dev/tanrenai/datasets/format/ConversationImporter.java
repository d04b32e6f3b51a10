package dev.tanrenai.datasets.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.store.AppendResult;
import dev.tanrenai.datasets.store.ConversationConflictException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams a conversation file into the store: JSONL (one record per line) or one JSON array of
 * records, as {@link FileLayout} decides from the file (never from its first line alone). Every
 * record is either imported or written to the rejects file with its number (and, for array
 * elements, the line it starts on) and reason — nothing is dropped, and memory stays bounded by one
 * line and one batch.
 */
public final class ConversationImporter {

    /** For one JSON record per line: anything after the record is an error. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** For the elements of a streamed array, where the next element follows. */
    private static final ObjectMapper STREAMING = new ObjectMapper();

    /** Imports {@code file}; see the class comment. */
    public ImportReport importFile(
            Path file,
            ChatFormat format,
            ConversationSink sink,
            Path rejectsFile,
            ImportOptions options,
            ImportListener listener)
            throws IOException {
        long total = Files.size(file);
        boolean array = FileLayout.of(file, options.maxLineBytes()) == FileLayout.JSON_ARRAY;
        Batch batch = new Batch(sink, options.batchSize());
        try (RejectsWriter rejects = new RejectsWriter(rejectsFile, array)) {
            batch.rejects = rejects;
            Run run = new Run(file, format, options, batch, rejects, listener, total);
            long read = array ? readArray(run) : readLines(run);
            batch.flush();
            listener.onProgress(total, total, read);
            return new ImportReport(
                    read,
                    batch.created + batch.appended + batch.unchanged,
                    batch.created,
                    batch.appended,
                    batch.unchanged,
                    rejects.count(),
                    rejects.fileIfWritten(),
                    rejects.reasons());
        }
    }

    private long readLines(Run run) throws IOException {
        ImportOptions options = run.options();
        RejectsWriter rejects = run.rejects();
        long read = 0;
        try (LineReader lines = new LineReader(Files.newInputStream(run.file()), (int) options.maxLineBytes())) {
            LineReader.RawLine line;
            while ((line = lines.next()) != null) {
                if (line.blank()) {
                    continue;
                }
                read++;
                String location = "line " + line.number();
                if (line.tooLong()) {
                    rejects.reject(
                            line.number(),
                            new ConversationFormatException(
                                    location,
                                    "",
                                    line.length() + " bytes, more than the limit of " + options.maxLineBytes(),
                                    RejectKind.LINE_TOO_LONG),
                            null,
                            line.length());
                    continue;
                }
                try {
                    String text = LineReader.decode(line.bytes());
                    JsonNode record = parseJson(text);
                    run.batch().add(line.number(), location, text, parse(run.format(), record, run.options()));
                } catch (ConversationFormatException e) {
                    rejects.reject(line.number(), e.at(location), line.bytes(), line.length());
                }
                if (read % 1024 == 0) {
                    run.listener().onProgress(lines.bytesRead(), run.total(), read);
                }
            }
        }
        return read;
    }

    private long readArray(Run run) throws IOException {
        RejectsWriter rejects = run.rejects();
        long read = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(run.file()));
                JsonParser parser = STREAMING.getFactory().createParser(in)) {
            parser.nextToken(); // START_ARRAY, checked by FileLayout
            while (true) {
                JsonToken token;
                try {
                    token = parser.nextToken();
                } catch (JsonProcessingException e) {
                    read++;
                    rejectRest(rejects, read, e, run.file());
                    return read;
                }
                if (token == null) {
                    read++;
                    rejectRest(
                            rejects, read, parser.currentLocation().getLineNr(), "the array does not end", run.file());
                    return read;
                }
                if (token == JsonToken.END_ARRAY) {
                    return read + rejectTrailing(parser, rejects, read, run.file());
                }
                read++;
                String location = "element " + read;
                long line = parser.currentTokenLocation().getLineNr();
                JsonNode record;
                try {
                    record = STREAMING.readTree(parser);
                } catch (JsonProcessingException e) {
                    rejectRest(rejects, read, e, run.file());
                    return read;
                }
                try {
                    run.batch().add(read, location, record.toString(), parse(run.format(), record, run.options()));
                } catch (ConversationFormatException e) {
                    rejects.rejectElement(read, line, e.at(location + " (line " + line + ")"), record.toString());
                }
                if (read % 1024 == 0) {
                    run.listener().onProgress(parser.currentLocation().getByteOffset(), run.total(), read);
                }
            }
        }
    }

    /**
     * A JSON array broken at one element cannot be read past it: that element is the reject, and
     * its reason names the lines from the break to the end of the file that were not read.
     */
    private static void rejectRest(RejectsWriter rejects, long element, JsonProcessingException e, Path file)
            throws IOException {
        long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        rejectRest(rejects, element, line, "invalid JSON (" + e.getOriginalMessage() + ")", file);
    }

    private static void rejectRest(RejectsWriter rejects, long element, long line, String why, Path file)
            throws IOException {
        long last = lineCount(file);
        String lines = line <= 0 ? "" : line >= last ? ", line " + line : ", lines " + line + "-" + last;
        rejects.rejectElement(
                element,
                line,
                new ConversationFormatException(
                        "element " + element,
                        "",
                        why + "; the rest of the array cannot be read" + lines,
                        RejectKind.INVALID_JSON),
                "");
    }

    /**
     * Anything after the array's end is not dropped: it is one reject naming its lines (a well-formed
     * array followed by more records is read as JSONL by {@link FileLayout}; this catches the rest).
     *
     * @return 1 when something followed the array, else 0
     */
    private static long rejectTrailing(JsonParser parser, RejectsWriter rejects, long read, Path file)
            throws IOException {
        long end = parser.currentLocation().getLineNr();
        boolean more;
        try {
            more = parser.nextToken() != null;
        } catch (JsonProcessingException e) {
            more = true;
        }
        if (!more) {
            return 0;
        }
        long last = lineCount(file);
        rejects.rejectElement(
                read + 1,
                end,
                new ConversationFormatException(
                        "after the array",
                        "",
                        "content follows the end of the JSON array (line " + end + "); lines " + end + "-" + last
                                + " were not read: use one record per line (JSONL) or one array",
                        RejectKind.INVALID_JSON),
                "");
        return 1;
    }

    private static long lineCount(Path file) throws IOException {
        try (LineReader lines = new LineReader(Files.newInputStream(file), 16)) {
            long n = 0;
            while (lines.next() != null) {
                n++;
            }
            return n;
        }
    }

    private static JsonNode parseJson(String text) throws ConversationFormatException {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at column " + e.getLocation().getColumnNr();
            throw new ConversationFormatException(
                    "", "", "invalid JSON" + where + ": " + e.getOriginalMessage(), RejectKind.INVALID_JSON);
        }
    }

    private static Conversation parse(ChatFormat format, JsonNode record, ImportOptions options)
            throws ConversationFormatException {
        return switch (format) {
            case OPENAI ->
                new OpenAiChatCodec(options.maxMessageChars()).read(record, options.source(), options.importedAt());
            case SHAREGPT ->
                new ShareGptCodec(options.maxMessageChars()).read(record, options.source(), options.importedAt());
            case ALPACA ->
                new AlpacaCodec(options.maxMessageChars()).read(record, options.source(), options.importedAt());
        };
    }

    /** One import's inputs and outputs. */
    private record Run(
            Path file,
            ChatFormat format,
            ImportOptions options,
            Batch batch,
            RejectsWriter rejects,
            ImportListener listener,
            long total) {}

    /** Good records waiting for the store, with their numbers and text for rejects. */
    private static final class Batch {
        private final ConversationSink sink;
        private final int size;
        private final List<Conversation> conversations = new ArrayList<>();
        private final List<Long> numbers = new ArrayList<>();
        private final List<String> locations = new ArrayList<>();
        private final List<String> texts = new ArrayList<>();
        private RejectsWriter rejects;
        private long created;
        private long appended;
        private long unchanged;

        Batch(ConversationSink sink, int size) {
            this.sink = sink;
            this.size = size;
        }

        void add(long number, String location, String text, Conversation c) throws IOException {
            conversations.add(c);
            numbers.add(number);
            locations.add(location);
            texts.add(text);
            if (conversations.size() >= size) {
                flush();
            }
        }

        void flush() throws IOException {
            if (conversations.isEmpty()) {
                return;
            }
            try {
                count(sink.appendAll(conversations));
            } catch (ConversationConflictException conflict) {
                // the batch was rolled back: store its records one by one to find the conflicting ones
                for (int i = 0; i < conversations.size(); i++) {
                    try {
                        count(sink.appendAll(List.of(conversations.get(i))));
                    } catch (ConversationConflictException e) {
                        rejects.reject(
                                numbers.get(i),
                                new ConversationFormatException(
                                        locations.get(i), "messages", e.getMessage(), RejectKind.CONFLICTS_WITH_STORE),
                                texts.get(i));
                    }
                }
            }
            conversations.clear();
            numbers.clear();
            locations.clear();
            texts.clear();
        }

        private void count(List<AppendResult> results) {
            for (AppendResult r : results) {
                switch (r.outcome()) {
                    case CREATED -> created++;
                    case APPENDED -> appended++;
                    case UNCHANGED -> unchanged++;
                }
            }
        }
    }
}
