package dev.tanrenai.models.tiny;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A deterministic SentencePiece-style vocabulary for llama.cpp's {@code tokenizer.ggml.model =
 * "llama"} tokenizer: {@code <unk>}, {@code <s>}, {@code </s>}, 256 byte-fallback tokens, the two
 * ChatML control tokens, then normal pieces with {@code ▁} (U+2581) word-boundary marks. Every
 * merged piece's one-character-shorter prefix is also in the vocabulary, so the SPM merge loop can
 * reach it.
 *
 * @param tokens token texts, index = token id
 * @param scores SPM scores (higher merges first)
 * @param tokenTypes llama.cpp token types (1 normal, 2 unknown, 3 control, 6 byte)
 */
public record TinyVocab(List<String> tokens, float[] scores, int[] tokenTypes) {
    public static final int UNK_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    public static final int FIRST_BYTE_ID = 3;
    public static final int IM_START_ID = 259;
    public static final int IM_END_ID = 260;

    public static final int TYPE_NORMAL = 1;
    public static final int TYPE_UNKNOWN = 2;
    public static final int TYPE_CONTROL = 3;
    public static final int TYPE_BYTE = 6;

    /** The SentencePiece word-boundary mark. */
    public static final String SPACE_MARK = "\u2581";

    /** Minimum number of merged (multi-character) pieces a tiny vocabulary must contain. */
    public static final int MIN_MERGED_PIECES = 16;

    private static final List<String> BASE = basePieces();
    private static final List<String> MERGED = mergedPieces();

    /** Smallest allowed vocabulary size. */
    public static final int MIN_SIZE = BASE.size() + MIN_MERGED_PIECES;
    /** Largest vocabulary size this generator can fill. */
    public static final int MAX_SIZE = BASE.size() + MERGED.size();

    public TinyVocab {
        tokens = List.copyOf(tokens);
        scores = scores.clone();
        tokenTypes = tokenTypes.clone();
        if (tokens.size() != scores.length || tokens.size() != tokenTypes.length) {
            throw new IllegalArgumentException("vocab arrays differ in length: " + tokens.size() + " tokens, "
                    + scores.length + " scores, " + tokenTypes.length + " types");
        }
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }

    @Override
    public int[] tokenTypes() {
        return tokenTypes.clone();
    }

    public int size() {
        return tokens.size();
    }

    /** True for tokens that must never be sampled by a random tiny model (unknown and control). */
    public boolean isSpecial(int id) {
        return tokenTypes[id] == TYPE_UNKNOWN || tokenTypes[id] == TYPE_CONTROL;
    }

    /** The first {@code size} pieces of the deterministic piece list. */
    public static TinyVocab ofSize(int size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException(
                    "tiny vocab size must be in [" + MIN_SIZE + ", " + MAX_SIZE + "], got " + size);
        }
        List<String> tokens = new ArrayList<>(size);
        tokens.addAll(BASE);
        tokens.addAll(MERGED.subList(0, size - BASE.size()));
        float[] scores = new float[size];
        int[] types = new int[size];
        for (int id = 0; id < size; id++) {
            String piece = tokens.get(id);
            if (id == UNK_ID) {
                types[id] = TYPE_UNKNOWN;
            } else if (id == BOS_ID || id == EOS_ID || id == IM_START_ID || id == IM_END_ID) {
                types[id] = TYPE_CONTROL;
            } else if (id < FIRST_BYTE_ID + 256) {
                types[id] = TYPE_BYTE;
            } else {
                types[id] = TYPE_NORMAL;
                // longer pieces and earlier pieces merge first; single characters have the lowest score
                scores[id] = piece.codePointCount(0, piece.length()) == 1 ? -1000f : -(float) id;
            }
        }
        return new TinyVocab(tokens, scores, types);
    }

    private static List<String> basePieces() {
        List<String> pieces = new ArrayList<>();
        pieces.add("<unk>");
        pieces.add("<s>");
        pieces.add("</s>");
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b));
        }
        pieces.add("<|im_start|>");
        pieces.add("<|im_end|>");
        pieces.add(SPACE_MARK);
        for (char c = '!'; c <= '~'; c++) {
            pieces.add(String.valueOf(c));
        }
        for (char c = '!'; c <= '~'; c++) {
            pieces.add(SPACE_MARK + c);
        }
        return List.copyOf(pieces);
    }

    private static List<String> mergedPieces() {
        String[] sources = {
            "er",
            "in",
            "th",
            "he",
            "an",
            "re",
            "on",
            "at",
            "en",
            "nd",
            "ing",
            "ed",
            "es",
            "or",
            "st",
            "ll",
            "ion",
            "tion",
            "ent",
            "ly",
            "▁the",
            "▁and",
            "▁is",
            "▁to",
            "▁of",
            "▁in",
            "▁it",
            "▁you",
            "▁that",
            "▁was",
            "▁he",
            "▁she",
            "▁for",
            "▁on",
            "▁are",
            "▁with",
            "▁as",
            "▁be",
            "▁at",
            "▁this",
            "▁have",
            "▁from",
            "▁or",
            "▁one",
            "▁had",
            "▁by",
            "▁not",
            "▁but",
            "▁what",
            "▁all",
            "▁were",
            "▁we",
            "▁when",
            "▁your",
            "▁can",
            "▁said",
            "▁there",
            "▁an",
            "▁which",
            "▁do",
            "▁how",
            "▁their",
            "▁if",
            "▁will",
            "▁up",
            "▁about",
            "▁out",
            "▁then",
            "▁them",
            "▁so",
            "▁some",
            "▁her",
            "▁would",
            "▁make",
            "▁like",
            "▁him",
            "▁into",
            "▁time",
            "▁has",
            "▁look",
            "▁two",
            "▁more",
            "▁go",
            "▁see",
            "▁no",
            "▁way",
            "▁could",
            "▁my",
            "▁than",
            "▁first",
            "▁been",
            "▁who",
            "▁its",
            "▁now",
            "▁day",
            "▁did",
            "▁get",
            "▁come",
            "▁made",
            "▁hello",
            "▁world",
            "▁user",
            "▁assistant",
            "▁system",
            "▁model",
            "▁answer",
            "▁question",
            "▁Hello",
            "▁The",
            "▁It",
            "▁What",
            "▁Yes",
            "▁Thank",
            "▁please",
            "▁help",
            "▁know",
            "▁good",
            "▁name",
            "▁once",
            "▁upon",
            "▁little",
            "▁happy",
            "▁play",
            "▁friend"
        };
        Set<String> seen = new LinkedHashSet<>(basePieces());
        List<String> merged = new ArrayList<>();
        for (String source : sources) {
            for (int end = 2; end <= source.length(); end++) {
                String prefix = source.substring(0, end);
                if (seen.add(prefix)) {
                    merged.add(prefix);
                }
            }
        }
        return List.copyOf(merged);
    }
}
