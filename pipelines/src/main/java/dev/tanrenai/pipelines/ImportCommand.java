package dev.tanrenai.pipelines;

import dev.tanrenai.datasets.format.ChatFormat;
import dev.tanrenai.datasets.format.ConversationImporter;
import dev.tanrenai.datasets.format.ImportOptions;
import dev.tanrenai.datasets.format.ImportReport;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.ProgressBar;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline import FILE --format openai|sharegpt|alpaca}: streams conversations into the store. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import conversations from an OpenAI chat, ShareGPT or Alpaca file (JSONL or a JSON array) into the store.",
            "Every bad line goes to a rejects file with its line number and reason; imported + rejected = lines read.",
            "Re-importing a file adds nothing new (conversations are keyed by id, or by a hash of their content)."
        })
public final class ImportCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to import.")
    Path file;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "openai, sharegpt or alpaca.")
    String format;

    @Option(
            names = "--rejects",
            paramLabel = "FILE",
            description = "Where rejected lines go (default: <home>/rejects/<file>.<time>.rejects.jsonl).")
    Path rejects;

    @Override
    public Integer call() throws IOException {
        TanrenaiConfig config = common.config();
        ImportReport report = run(config, file, ChatFormat.fromName(format), rejects, Instant.now());
        Output out = common.output();
        print(report, file, out);
        out.result(report);
        return 0;
    }

    /** Imports {@code file} with a progress bar on standard error; shared with {@code demo}. */
    public static ImportReport run(TanrenaiConfig config, Path file, ChatFormat format, Path rejectsFile, Instant now)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        ConversationStore store = Stores.conversations(config);
        Path rejectsPath = rejectsFile != null ? rejectsFile : defaultRejects(config, file, now);
        ImportOptions options = new ImportOptions(
                256,
                config.importMaxLineBytes(),
                config.importMaxMessageChars(),
                "import:" + format.name().toLowerCase(Locale.ROOT) + ":" + file.getFileName(),
                now);
        try (ProgressBar bar = ProgressBar.onStderr("import " + file.getFileName(), Files.size(file))) {
            return new ConversationImporter()
                    .importFile(
                            file,
                            format,
                            store::appendAll,
                            rejectsPath,
                            options,
                            (bytes, total, lines) -> bar.update(bytes));
        }
    }

    static void print(ImportReport r, Path file, Output out) {
        out.line(String.format(
                Locale.ROOT,
                "%s: %d lines read, %d imported (%d new, %d extended, %d already stored), %d rejected",
                file.getFileName(),
                r.linesRead(),
                r.imported(),
                r.created(),
                r.appended(),
                r.unchanged(),
                r.rejected()));
        if (r.rejected() > 0) {
            r.rejectReasons().forEach((reason, n) -> out.line(String.format(Locale.ROOT, "  %6d  %s", n, reason)));
            out.line("  rejected lines with their line numbers and reasons: " + r.rejectsFile());
        }
    }

    private static Path defaultRejects(TanrenaiConfig config, Path file, Instant now) throws IOException {
        Path dir = config.home().root().resolve("rejects");
        Files.createDirectories(dir);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .format(now);
        return dir.resolve(file.getFileName() + "." + stamp + ".rejects.jsonl");
    }
}
