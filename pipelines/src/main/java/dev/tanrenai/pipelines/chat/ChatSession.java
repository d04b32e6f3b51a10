package dev.tanrenai.pipelines.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.format.OpenAiChatCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One chat: the conversation so far, its id in the store, the system prompt, the statistics, and
 * the slash commands that act on them. Text goes to {@code out}; the terminal is the caller's.
 */
final class ChatSession {

    static final String HELP = String.join(
            "\n",
            "Type a message and press Enter. A line ending in \\ continues on the next line; a line with only",
            "\"\"\" starts and ends a block pasted as is. Ctrl-C stops a reply (it is not kept) or clears the line;",
            "Ctrl-D quits. Up and Down recall earlier input (kept in the history file).",
            "  /model REF        serve another registered model (id, name, alias or sha256 prefix)",
            "  /adapter REF      serve an adapter (with its base model); /adapter none: the base model alone",
            "  /system [TEXT]    show or set the system prompt (setting it starts a new conversation)",
            "  /reset            start a new conversation",
            "  /save FILE        append this conversation to FILE as one OpenAI JSONL line (pipeline import reads it)",
            "  /feedback up|down rate the last reply (stored for curation)",
            "  /stats            turns, tokens, speed, model and conversation id",
            "  /help             this text",
            "  /exit             quit (as Ctrl-D)");

    private final ChatBackend backend;
    private final ChatBackend.Settings settings;
    private final PrintWriter out;
    private final List<Message> messages = new ArrayList<>();
    private String system;
    private String conversationId;
    private ChatBackend.Turn last;
    private String lastStoredId;
    private int turns;
    private long completionTokens;
    private double generationSeconds;

    ChatSession(ChatBackend backend, ChatBackend.Settings settings, String system, PrintWriter out) {
        this.backend = backend;
        this.settings = settings;
        this.out = out;
        this.system = system == null || system.isBlank() ? null : system;
        reset();
    }

    private void reset() {
        messages.clear();
        if (system != null) {
            messages.add(Message.system(system));
        }
        conversationId = "chat-cli-" + UUID.randomUUID().toString().replace("-", "");
        last = null;
        lastStoredId = null;
    }

    /** Whether the user asked to quit. */
    boolean handle(String input, StopSignal stop) {
        String line = input.strip();
        if (line.isEmpty()) {
            return false;
        }
        if (line.startsWith("/")) {
            return command(line);
        }
        say(input, stop);
        return false;
    }

    private void say(String text, StopSignal stop) {
        List<Message> asked = new ArrayList<>(messages);
        asked.add(Message.user(text));
        ChatBackend.Turn turn;
        try {
            turn = backend.answer(
                    conversationId,
                    asked,
                    settings,
                    piece -> {
                        out.print(piece);
                        out.flush();
                    },
                    stop);
        } catch (ChatBackend.Stopped e) {
            out.println();
            out.println("[stopped: this reply is not kept]");
            out.flush();
            return;
        }
        out.println();
        if (turn.finishReason().equals("length")) {
            out.println("[the reply reached the " + settings.maxTokens() + "-token limit]");
        }
        out.flush();
        messages.clear();
        messages.addAll(asked);
        messages.add(Message.assistant(turn.text()).withProducedBy(turn.model()));
        last = turn;
        lastStoredId = turn.conversationId();
        turns++;
        completionTokens += turn.completionTokens();
        generationSeconds += turn.seconds();
    }

    private boolean command(String line) {
        String[] parts = line.split("\\s+", 2);
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (parts[0]) {
            case "/exit", "/quit", "/bye" -> {
                return true;
            }
            case "/help" -> out.println(HELP);
            case "/model" -> {
                if (!arg.isEmpty()) {
                    backend.model(arg);
                }
                out.println("model: " + backend.describe());
            }
            case "/adapter" -> {
                if (arg.isEmpty()) {
                    out.println("usage: /adapter REF (or /adapter none); serving " + backend.describe());
                } else {
                    backend.adapter(arg.equals("none") ? null : arg);
                    out.println("model: " + backend.describe());
                }
            }
            case "/system" -> {
                if (arg.isEmpty()) {
                    out.println(system == null ? "no system prompt" : "system: " + system);
                } else {
                    system = arg;
                    reset();
                    out.println("system prompt set; new conversation " + conversationId);
                }
            }
            case "/reset" -> {
                reset();
                out.println("new conversation " + conversationId);
            }
            case "/save" -> save(arg);
            case "/feedback" -> feedback(arg);
            case "/stats" -> stats();
            default -> out.println("unknown command " + parts[0] + "; /help lists the commands");
        }
        out.flush();
        return false;
    }

    private void save(String file) {
        if (file.isEmpty()) {
            out.println("usage: /save FILE");
            return;
        }
        if (last == null) {
            out.println("nothing to save yet: the conversation has no reply");
            return;
        }
        Path path = Path.of(file);
        Instant now = Instant.now();
        ObjectNode record = OpenAiChatCodec.write(new Conversation(lastStoredId, "chat", now, now, messages, Map.of()));
        try {
            Files.writeString(
                    path,
                    record.toString() + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
        out.println("saved " + messages.size() + " messages to " + path.toAbsolutePath());
    }

    private void feedback(String rating) {
        double score =
                switch (rating) {
                    case "up", "+1", "+" -> 1;
                    case "down", "-1", "-" -> -1;
                    default -> Double.NaN;
                };
        if (Double.isNaN(score)) {
            out.println("usage: /feedback up|down");
            return;
        }
        if (last == null) {
            out.println("no reply to rate yet");
            return;
        }
        backend.feedback(lastStoredId, last.messageIndex(), score);
        out.println("feedback " + rating + " recorded for " + lastStoredId + " message " + last.messageIndex());
    }

    private void stats() {
        out.println("model:        " + backend.describe());
        out.println("conversation: " + conversationId
                + (lastStoredId != null && !lastStoredId.equals(conversationId)
                        ? " (stored as " + lastStoredId + ")"
                        : ""));
        out.println("turns:        " + turns + ", " + messages.size() + " messages in context");
        out.println("generated:    " + completionTokens + " tokens in "
                + String.format(Locale.ROOT, "%.2f", generationSeconds) + " s"
                + (generationSeconds > 0
                        ? String.format(Locale.ROOT, " (%.1f tokens/s)", completionTokens / generationSeconds)
                        : ""));
        if (last != null) {
            out.println("last reply:   " + last.promptTokens() + " prompt tokens, " + last.completionTokens()
                    + " generated, " + last.finishReason());
        }
    }
}
