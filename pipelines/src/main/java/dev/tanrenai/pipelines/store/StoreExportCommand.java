package dev.tanrenai.pipelines.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.format.ChatFormat;
import dev.tanrenai.datasets.format.OpenAiChatCodec;
import dev.tanrenai.datasets.format.ShareGptCodec;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.Stores;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline store export FILE --format openai|sharegpt}: the store's conversations as JSONL. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write the store's conversations (or those changed after --since) to a JSONL file in OpenAI or"
                + " ShareGPT format. ShareGPT cannot hold tool calls: such conversations make the export fail.")
public final class StoreExportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "FILE", description = "The JSONL file to write.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", description = "openai (default) or sharegpt.")
    String format = "openai";

    @Option(
            names = "--since",
            paramLabel = "WATERMARK",
            description = "Only conversations changed after this store sequence number.")
    long since;

    @Override
    public Integer call() throws IOException {
        ChatFormat chatFormat = ChatFormat.fromName(format);
        if (chatFormat == ChatFormat.ALPACA) {
            throw new IllegalArgumentException(
                    "--format alpaca is an import format only (one instruction per record); export as openai or"
                            + " sharegpt");
        }
        ConversationStore store = Stores.conversations(common.config());
        long upTo = store.stats().lastSequence();
        Path temporary = file.toAbsolutePath().resolveSibling(file.getFileName() + ".tmp");
        long written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            for (Iterator<Conversation> it = store.iterate(Math.min(since, upTo), upTo, 500); it.hasNext(); ) {
                Conversation c = it.next();
                out.write(JSON.writeValueAsString(
                        chatFormat == ChatFormat.OPENAI ? OpenAiChatCodec.write(c) : ShareGptCodec.write(c)));
                out.write('\n');
                written++;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Output out = common.output();
        out.line("exported " + written + " conversations to " + file + " (" + chatFormat.cliName()
                + ", store sequence up to " + upTo + ")");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file", file.toAbsolutePath().toString());
        result.put("format", chatFormat.cliName());
        result.put("conversations", written);
        result.put("watermark", upTo);
        out.result(result);
        return 0;
    }
}
