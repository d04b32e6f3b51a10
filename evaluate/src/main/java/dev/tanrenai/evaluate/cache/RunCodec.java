package dev.tanrenai.evaluate.cache;

import dev.tanrenai.evaluate.score.SequenceScore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary parts of a cached run: the baseline's top-K reference per scored position and the
 * per-token KL of a candidate. Big-endian, length-prefixed, with a magic and a format version, so a
 * truncated or foreign file is an error that says so, never a silently shorter run.
 *
 * <pre>
 * reference.bin: "TRRF" u32 version, u32 sequences, then per sequence:
 *                utf requestId, u32 n, u32 topK, f32[n] logProbs, u8[n] greedy,
 *                i32[n*topK] topIds, f32[n*topK] topLogProbs
 * kl.bin:        "TRKL" u32 version, u32 n, f32[n]
 * </pre>
 */
final class RunCodec {

    static final int FORMAT_VERSION = 1;
    private static final int REFERENCE_MAGIC = 0x5452_5246; // TRRF
    private static final int KL_MAGIC = 0x5452_4B4C; // TRKL

    private RunCodec() {}

    static void writeReference(List<SequenceScore> reference, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(REFERENCE_MAGIC);
        data.writeInt(FORMAT_VERSION);
        data.writeInt(reference.size());
        for (SequenceScore s : reference) {
            int n = s.count();
            data.writeUTF(s.requestId());
            data.writeInt(n);
            data.writeInt(s.topK());
            for (float lp : s.logProbs()) {
                data.writeFloat(lp);
            }
            for (boolean g : s.greedy()) {
                data.writeByte(g ? 1 : 0);
            }
            for (int id : s.topIds()) {
                data.writeInt(id);
            }
            for (float lp : s.topLogProbs()) {
                data.writeFloat(lp);
            }
        }
        data.flush();
    }

    static List<SequenceScore> readReference(InputStream in, String where) throws IOException {
        DataInputStream data = new DataInputStream(in);
        try {
            header(data, REFERENCE_MAGIC, where);
            int sequences = count(data.readInt(), where, "sequence count");
            List<SequenceScore> out = new ArrayList<>(sequences);
            for (int i = 0; i < sequences; i++) {
                String id = data.readUTF();
                int n = count(data.readInt(), where, "positions of " + id);
                int topK = count(data.readInt(), where, "top-K of " + id);
                float[] logProbs = new float[n];
                for (int j = 0; j < n; j++) {
                    logProbs[j] = data.readFloat();
                }
                boolean[] greedy = new boolean[n];
                for (int j = 0; j < n; j++) {
                    greedy[j] = data.readByte() != 0;
                }
                int[] topIds = new int[n * topK];
                for (int j = 0; j < topIds.length; j++) {
                    topIds[j] = data.readInt();
                }
                float[] topLogProbs = new float[n * topK];
                for (int j = 0; j < topLogProbs.length; j++) {
                    topLogProbs[j] = data.readFloat();
                }
                out.add(new SequenceScore(id, logProbs, greedy, topK, topIds, topLogProbs, null, null));
            }
            requireEnd(data, where);
            return out;
        } catch (EOFException e) {
            throw new IOException(where + " ends early: the file is truncated", e);
        }
    }

    static void writeKl(float[] kl, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(KL_MAGIC);
        data.writeInt(FORMAT_VERSION);
        data.writeInt(kl.length);
        for (float k : kl) {
            data.writeFloat(k);
        }
        data.flush();
    }

    static float[] readKl(InputStream in, String where) throws IOException {
        DataInputStream data = new DataInputStream(in);
        try {
            header(data, KL_MAGIC, where);
            float[] kl = new float[count(data.readInt(), where, "token count")];
            for (int i = 0; i < kl.length; i++) {
                kl[i] = data.readFloat();
            }
            requireEnd(data, where);
            return kl;
        } catch (EOFException e) {
            throw new IOException(where + " ends early: the file is truncated", e);
        }
    }

    private static void header(DataInputStream data, int magic, String where) throws IOException {
        int found = data.readInt();
        if (found != magic) {
            throw new IOException(where + " is not a Tanrenai cache file (magic " + Integer.toHexString(found) + ")");
        }
        int version = data.readInt();
        if (version != FORMAT_VERSION) {
            throw new IOException(where + " has format version " + version + ", this build reads " + FORMAT_VERSION);
        }
    }

    private static int count(int value, String where, String what) throws IOException {
        if (value < 0 || value > 1 << 28) {
            throw new IOException(where + ": implausible " + what + " " + value);
        }
        return value;
    }

    private static void requireEnd(DataInputStream data, String where) throws IOException {
        if (data.read() != -1) {
            throw new IOException(where + " has bytes after its last record");
        }
    }
}
