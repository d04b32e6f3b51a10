package dev.tanrenai.evaluate.score;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts requests into scoring windows and groups the windows into forward passes (see
 * {@link ScoringSettings} for the windowing and batching rules).
 */
final class ScoringWindows {
    private ScoringWindows() {}

    /**
     * One window of one request.
     *
     * @param request index of the request
     * @param tokens the window's tokens
     * @param scoredLocal positions within the window whose token is scored (each >= 1)
     * @param outputIndex for each of them, its index among the request's scored positions
     */
    record Piece(int request, int[] tokens, int[] scoredLocal, int[] outputIndex) {}

    /**
     * A forward pass: one row per piece, side by side, each padded to {@code length}.
     *
     * @param tokens the pieces' real tokens (padding not counted)
     * @param length the longest piece: every row's padded length
     */
    record Batch(List<Piece> pieces, int tokens, int length) {}

    /**
     * The windows of every request, longest first (ties in request order), grouped so that a pass's rows
     * times its longest row stay within {@code batchTokens}: similar lengths share a pass, so little
     * is padding.
     */
    static List<Batch> plan(List<ScoringRequest> requests, ScoringSettings settings) {
        List<Piece> all = new ArrayList<>();
        for (int r = 0; r < requests.size(); r++) {
            all.addAll(windows(r, requests.get(r), settings.window()));
        }
        all.sort(Comparator.comparingInt((Piece p) -> p.tokens().length).reversed()); // stable: ties keep order
        List<Batch> batches = new ArrayList<>();
        List<Piece> current = new ArrayList<>();
        int used = 0;
        for (Piece p : all) {
            int length = current.isEmpty() ? p.tokens().length : current.get(0).tokens().length;
            if (!current.isEmpty() && (long) (current.size() + 1) * length > settings.batchTokens()) {
                batches.add(new Batch(current, used, length));
                current = new ArrayList<>();
                used = 0;
            }
            current.add(p);
            used += p.tokens().length;
        }
        if (!current.isEmpty()) {
            batches.add(new Batch(current, used, current.get(0).tokens().length));
        }
        return batches;
    }

    /** The windows of one request; windows without a scored position are left out. */
    static List<Piece> windows(int index, ScoringRequest request, int window) {
        int n = request.length();
        int[] outputIndex = new int[n];
        int scoredSoFar = 0;
        for (int j = 0; j < n; j++) {
            outputIndex[j] = request.isScored(j) ? scoredSoFar++ : -1;
        }
        List<Piece> pieces = new ArrayList<>();
        int start = 0;
        int scoreFrom = 1; // position 0 of the request has no context
        while (scoreFrom < n) {
            int end = Math.min(start + window, n);
            List<Integer> local = new ArrayList<>();
            for (int j = scoreFrom; j < end; j++) {
                if (request.isScored(j)) {
                    local.add(j);
                }
            }
            if (!local.isEmpty()) {
                int[] tokens = new int[end - start];
                for (int j = start; j < end; j++) {
                    tokens[j - start] = request.token(j);
                }
                int[] scoredLocal = new int[local.size()];
                int[] out = new int[local.size()];
                for (int i = 0; i < local.size(); i++) {
                    scoredLocal[i] = local.get(i) - start;
                    out[i] = outputIndex[local.get(i)];
                }
                pieces.add(new Piece(index, tokens, scoredLocal, out));
            }
            scoreFrom = end;
            start = end - window / 2;
        }
        return pieces;
    }
}
