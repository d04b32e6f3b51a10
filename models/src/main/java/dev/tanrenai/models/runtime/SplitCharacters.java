package dev.tanrenai.models.runtime;

import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.gguf.GgufMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * The generated tokens that llama.cpp's stream never reports. java-llama.cpp 4.2.0 hands over one
 * text piece per generated token, except that llama.cpp holds a token back while the text ends in an
 * incomplete UTF-8 character and sends it with the token that completes it; the token ids and counts
 * are not passed through. With a SentencePiece ({@code tokenizer.ggml.model = llama}) vocabulary
 * only byte-fallback tokens can split a character, and SentencePiece falls back to bytes exactly for
 * characters that no normal piece contains: such a character of n UTF-8 bytes was n tokens, n - 1 of
 * them held back. A character some normal piece contains is counted as one of its tokens. A
 * U+FFFD (bytes that were not valid UTF-8) counts one held-back token: a truncated lead byte held
 * at least one back, a stray continuation byte none, so malformed output may be miscounted by a few
 * tokens. For other vocabularies (byte-level BPE) nothing is known and nothing is added.
 */
final class SplitCharacters {

    private static final int NORMAL = 1;
    private static final int USER_DEFINED = 4;

    /** Code points some normal piece contains; null when the vocabulary is not SentencePiece. */
    private final BitSet inPieces;

    private SplitCharacters(BitSet inPieces) {
        this.inPieces = inPieces;
    }

    /** Reads {@code gguf}'s vocabulary. */
    static SplitCharacters of(Path gguf) {
        try (GgufFile file = GgufFile.open(gguf)) {
            GgufMetadata md = file.metadata();
            if (!md.optionalString("tokenizer.ggml.model").orElse("").equals("llama")
                    || !md.contains("tokenizer.ggml.tokens")) {
                return new SplitCharacters(null);
            }
            List<String> tokens = md.getStringArray("tokenizer.ggml.tokens");
            int[] types = md.contains("tokenizer.ggml.token_type") ? md.getIntArray("tokenizer.ggml.token_type") : null;
            return fromVocab(tokens, types);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vocabulary of " + gguf + ": " + e.getMessage(), e);
        }
    }

    /** A SentencePiece vocabulary: piece texts and llama.cpp token types (null: all normal). */
    static SplitCharacters fromVocab(List<String> tokens, int[] types) {
        Objects.requireNonNull(tokens, "tokens");
        if (types != null && types.length != tokens.size()) {
            throw new IllegalArgumentException(
                    "the vocabulary has " + tokens.size() + " tokens but " + types.length + " token types");
        }
        BitSet in = new BitSet();
        for (int i = 0; i < tokens.size(); i++) {
            int type = types == null ? NORMAL : types[i];
            if (type == NORMAL || type == USER_DEFINED) {
                tokens.get(i).codePoints().forEach(in::set);
            }
        }
        return new SplitCharacters(in);
    }

    /** Tokens held back before {@code piece} was sent (0 when nothing could have been). */
    int heldBack(String piece) {
        if (inPieces == null) {
            return 0;
        }
        int held = 0;
        for (int i = 0; i < piece.length(); ) {
            int c = piece.codePointAt(i);
            i += Character.charCount(c);
            if (c < 0x80 || inPieces.get(c)) {
                continue;
            }
            held += c == 0xFFFD ? 1 : utf8Length(c) - 1;
        }
        return held;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }
}
