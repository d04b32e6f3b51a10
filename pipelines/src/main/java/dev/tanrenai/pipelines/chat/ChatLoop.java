package dev.tanrenai.pipelines.chat;

import dev.tanrenai.pipelines.cli.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The terminal side of {@code pipeline chat} (JLine): line editing and a history file, multi-line
 * input (a trailing backslash continues the line; a {@code """} line opens and closes a pasted
 * block), Ctrl-C stopping a reply (or clearing the line at the prompt), Ctrl-D quitting.
 */
final class ChatLoop {
    static final String PROMPT = ">>> ";
    static final String CONTINUATION = "... ";
    static final String BLOCK = "\"\"\"";

    private ChatLoop() {}

    /** Runs until Ctrl-D or /exit. */
    static void run(ChatBackend backend, ChatBackend.Settings settings, String system, Path historyFile)
            throws IOException {
        try (Terminal terminal = TerminalBuilder.builder()
                .name("tanrenai")
                .system(true)
                .providers("exec") // stty-based; Jansi's provider is deprecated and needs no native library here
                .dumb(true) // no terminal (a pipe): plain lines, no editing
                .build()) {
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("tanrenai")
                    .variable(LineReader.HISTORY_FILE, historyFile)
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // "!" is text, not history
                    .option(LineReader.Option.HISTORY_IGNORE_SPACE, false)
                    .build();
            PrintWriter out = terminal.writer();
            AtomicReference<StopSignal> generating = new AtomicReference<>();
            terminal.handle(Terminal.Signal.INT, signal -> {
                StopSignal s = generating.get();
                if (s != null) {
                    s.request();
                }
            });
            ChatSession session = new ChatSession(backend, settings, system, out);
            out.println("chatting with " + TerminalText.escape(backend.describe())
                    + ". /help for commands, Ctrl-D to quit.");
            out.flush();
            while (true) {
                String input;
                try {
                    input = read(reader);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt: the line is dropped
                } catch (EndOfFileException e) {
                    break;
                }
                if (input == null) {
                    continue;
                }
                StopSignal stop = new StopSignal();
                generating.set(stop);
                try {
                    if (session.handle(input, stop)) {
                        break;
                    }
                } catch (RuntimeException e) {
                    // the chat goes on: the message says what failed, and the conversation is as before
                    out.println("error: " + TerminalText.escape(describe(e)));
                    out.flush();
                } finally {
                    generating.set(null);
                }
            }
            reader.getHistory().save();
            out.println("bye");
            out.flush();
        }
    }

    /** One message: a line, continued while it ends in a backslash, or a {@code """} block. */
    private static String read(LineReader reader) {
        String line = reader.readLine(PROMPT);
        if (line.strip().equals(BLOCK)) {
            StringBuilder block = new StringBuilder();
            while (true) {
                String next = reader.readLine(CONTINUATION);
                if (next.strip().equals(BLOCK)) {
                    return block.toString();
                }
                if (block.length() > 0) {
                    block.append('\n');
                }
                block.append(next);
            }
        }
        StringBuilder text = new StringBuilder();
        while (line.endsWith("\\")) {
            text.append(line, 0, line.length() - 1).append('\n');
            line = reader.readLine(CONTINUATION);
        }
        return text.append(line).toString();
    }

    private static String describe(Throwable t) {
        StringBuilder sb =
                new StringBuilder(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(" (caused by: ").append(c.getMessage()).append(')');
            }
        }
        return sb.toString();
    }
}
