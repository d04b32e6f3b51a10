package dev.tanrenai.decoder;

/**
 * Sequences scored side by side along a batch dimension: {@code [rows, length]}, each row one sequence
 * from its position 0, right-padded to the longest. Under the plain causal mask a real token attends only
 * to earlier tokens of its own row, never to padding (which comes after it), so each row computes what
 * the sequence alone computes; padded positions are computed but never read.
 */
final class PaddedBatch {

    /** The token that fills padded positions (any valid id: its outputs are never read). */
    static final int PAD = 0;

    private final int rows;
    private final int length;
    private final int[] tokens; // [rows * length]
    private final long[] flatPositions; // index into [rows * length] of every asked position, row by row

    /**
     * @param sequences the rows' tokens, each non-empty
     * @param positions for each row, the positions (within that row, any order) whose outputs are asked for
     */
    PaddedBatch(int[][] sequences, int[][] positions) {
        if (sequences.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one sequence");
        }
        if (positions.length != sequences.length) {
            throw new IllegalArgumentException(sequences.length + " sequences but positions for " + positions.length);
        }
        int longest = 0;
        int asked = 0;
        for (int b = 0; b < sequences.length; b++) {
            if (sequences[b].length == 0) {
                throw new IllegalArgumentException("sequence " + b + " of the batch is empty");
            }
            longest = Math.max(longest, sequences[b].length);
            asked += positions[b].length;
        }
        this.rows = sequences.length;
        this.length = longest;
        this.tokens = new int[rows * length];
        java.util.Arrays.fill(tokens, PAD);
        this.flatPositions = new long[asked];
        int n = 0;
        for (int b = 0; b < rows; b++) {
            System.arraycopy(sequences[b], 0, tokens, b * length, sequences[b].length);
            for (int p : positions[b]) {
                if (p < 0 || p >= sequences[b].length) {
                    throw new IllegalArgumentException("position " + p + " is outside sequence " + b + " of the batch ("
                            + sequences[b].length + " tokens)");
                }
                flatPositions[n++] = (long) b * length + p;
            }
        }
    }

    int rows() {
        return rows;
    }

    /** The padded length of every row. */
    int length() {
        return length;
    }

    /** Row-major tokens, {@code [rows * length]}, padding included. */
    int[] tokens() {
        return tokens;
    }

    /** The asked positions as indices into the flattened {@code [rows * length]} outputs, row by row. */
    long[] flatPositions() {
        return flatPositions;
    }
}
