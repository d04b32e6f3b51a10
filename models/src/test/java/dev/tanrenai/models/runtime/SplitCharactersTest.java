package dev.tanrenai.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SplitCharactersTest {

    // <unk> <s> </s> (control), two byte tokens, then normal pieces; "é" is a piece, "’" and "日" are not
    private static final List<String> TOKENS = List.of("<unk>", "<s>", "</s>", "<0xE2>", "<0x80>", "▁the", "é", "a");
    private static final int[] TYPES = {2, 3, 3, 6, 6, 1, 1, 1};

    private final SplitCharacters split = SplitCharacters.fromVocab(TOKENS, TYPES);

    @Test
    void asciiAndCharactersOfNormalPiecesHoldNothingBack() {
        assertEquals(0, split.heldBack(" the a"));
        assertEquals(0, split.heldBack("é"));
        assertEquals(0, split.heldBack(""));
    }

    @Test
    void aCharacterNoPieceContainsWasOneByteTokenPerByte() {
        assertEquals(2, split.heldBack("’")); // 3 UTF-8 bytes: 3 tokens, the first 2 held back
        assertEquals(2 + 2 + 1, split.heldBack("a’日é\u00e0")); // à: 2 bytes, not a piece either
        assertEquals(3, split.heldBack("\uD83D\uDE00")); // 4 bytes
    }

    @Test
    void bytesThatWereNotUtf8CountOneHeldBackToken() {
        assertEquals(1, split.heldBack("\uFFFDa"));
    }

    @Test
    void byteTokenTextsDoNotCountAsPieces() {
        // the <0xE2> token's text contains no character a normal piece gives
        assertEquals(2, split.heldBack("\u2019"));
    }

    @Test
    void mismatchedTypesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SplitCharacters.fromVocab(TOKENS, new int[] {1}));
    }
}
