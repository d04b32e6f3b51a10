package dev.tanrenai.extract;

import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.Role;
import dev.tanrenai.datasets.ToolCall;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What makes a conversation usable for training, beyond being well-formed: plausible times
 * ({@link dev.tanrenai.datasets.ConversationTimes}), a sane role order, a
 * non-empty assistant turn, size limits, clean text, and tool calls matched by their results.
 *
 * @param maxChars the most characters of all messages together
 * @param maxMessages the most messages
 */
public record ValidationRules(int maxChars, int maxMessages) implements Serializable {

    public ValidationRules {
        if (maxChars < 1 || maxMessages < 2) {
            throw new IllegalArgumentException("maxChars >= 1 and maxMessages >= 2 needed");
        }
    }

    /** 200 000 characters and 400 messages. */
    public static ValidationRules defaults() {
        return new ValidationRules(200_000, 400);
    }

    /** A quarantine reason and its detail. */
    public record Problem(String reason, String detail) implements Serializable {}

    /** The first problem of {@code c}, or null when it is fit for training. */
    public Problem check(Conversation c) {
        String time = dev.tanrenai.datasets.ConversationTimes.problem(c);
        if (time != null) {
            return new Problem("implausible_time", time);
        }
        List<Message> messages = c.messages();
        if (messages.size() > maxMessages) {
            return new Problem("too_many_messages", messages.size() + " messages, the limit is " + maxMessages);
        }
        long chars = 0;
        for (int i = 0; i < messages.size(); i++) {
            String text = messages.get(i).content();
            chars += text.length();
            if (text.indexOf('\uFFFD') >= 0) {
                return new Problem("invalid_utf8", "messages[" + i + "] holds U+FFFD: the text was not valid UTF-8");
            }
            if (text.indexOf('\u0000') >= 0) {
                return new Problem("control_characters", "messages[" + i + "] holds NUL characters");
            }
        }
        if (chars > maxChars) {
            return new Problem("too_large", chars + " characters, the limit is " + maxChars);
        }
        int first = 0;
        while (first < messages.size() && messages.get(first).role() == Role.SYSTEM) {
            first++;
        }
        if (first == messages.size()) {
            return new Problem("no_assistant_turn", "only system messages");
        }
        if (messages.get(first).role() != Role.USER) {
            return new Problem(
                    "role_order",
                    "messages[" + first + "] is " + messages.get(first).role().wireName()
                            + "; the conversation must open with a user turn (after any system messages)");
        }
        boolean answered = false;
        Set<String> openCalls = new HashSet<>();
        Role previous = null;
        for (int i = first; i < messages.size(); i++) {
            Message m = messages.get(i);
            switch (m.role()) {
                case SYSTEM -> {
                    return new Problem(
                            "role_order", "messages[" + i + "] is a system message after the conversation began");
                }
                case USER -> {
                    if (!openCalls.isEmpty()) {
                        return new Problem(
                                "tool_call_without_result",
                                "tool call(s) " + openCalls + " have no tool result before messages[" + i + "]");
                    }
                }
                case ASSISTANT -> {
                    if (!openCalls.isEmpty()) {
                        return new Problem(
                                "tool_call_without_result",
                                "tool call(s) " + openCalls + " have no tool result before messages[" + i + "]");
                    }
                    if (previous == Role.ASSISTANT) {
                        return new Problem("role_order", "messages[" + i + "] is a second assistant turn in a row");
                    }
                    for (ToolCall call : m.toolCalls()) {
                        openCalls.add(call.id());
                    }
                    answered |= !m.content().isBlank() || !m.toolCalls().isEmpty();
                }
                case TOOL -> {
                    if (!openCalls.remove(m.toolCallId())) {
                        return new Problem(
                                "tool_result_without_call",
                                "messages[" + i + "] answers tool call '" + m.toolCallId()
                                        + "', which no assistant turn made (or was answered already)");
                    }
                }
            }
            previous = m.role();
        }
        if (!openCalls.isEmpty()) {
            return new Problem("tool_call_without_result", "tool call(s) " + openCalls + " are never answered");
        }
        if (!answered) {
            return new Problem("no_assistant_turn", "no non-empty assistant turn to learn from");
        }
        return null;
    }
}
