package dev.tanrenai.pipelines.cli;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Text bound for a terminal, made harmless: strings from model files (GGUF metadata), stored
 * conversations or error messages may hold control characters — an escape sequence can clear the
 * screen, set the window title or rewrite what was printed. Every C0 control except newline and
 * tab, DEL and every C1 control is shown as a Java/JSON escape such as {@code \u001b}.
 */
public final class TerminalText {
    private TerminalText() {}

    /** True for the characters {@link #escape} replaces. */
    static boolean isControl(char c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }

    /** {@code text} with each control character written as {@code \}{@code uXXXX}. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                sb.append(String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * Jackson's escapes plus DEL and the C1 controls (JSON requires only those below U+0020), so a
     * JSON result printed on a terminal holds no control character either.
     */
    static final class JsonEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        JsonEscapes() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            ascii[0x7f] = CharacterEscapes.ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x7f || (ch >= 0x80 && ch <= 0x9f) ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
