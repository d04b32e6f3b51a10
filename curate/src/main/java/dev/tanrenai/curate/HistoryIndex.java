package dev.tanrenai.curate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tanrenai.datasets.Conversation;
import dev.tanrenai.datasets.provenance.Sha256;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;

/**
 * The persistent Lucene index of every conversation already trained on (and the replay buffer),
 * which {@link Dedupe} checks each new conversation against. One document per conversation: its id,
 * its origin (the training run or {@code replay} that added it), its lookup keys (LSH band keys and
 * opening key, {@link MinHash#lookupKeys}) as indexed terms, and its shingle hashes as a stored
 * value for confirming a candidate exactly. Each origin is replaced as a whole, so adding the same
 * run twice changes nothing; the commit records the MinHash parameters (an index built with others
 * is refused) and a content hash per origin ({@link #fingerprint}) for provenance.
 */
public final class HistoryIndex {

    static final String ID = "id";
    static final String ORIGIN = "origin";
    static final String KEY = "key";
    static final String SHINGLES = "shingles";
    private static final String MINHASH = "minhash";
    private static final String ORIGINS = "origins";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryIndex() {}

    /** What an origin holds after {@link #replace}. */
    public record OriginSummary(String origin, long conversations, String sha256) {}

    /**
     * Replaces the conversations recorded under {@code origin} (a training run id, or
     * {@code replay}) with {@code conversations}, creating the index if needed, in one commit.
     */
    public static OriginSummary replace(Path dir, String origin, Iterator<Conversation> conversations) {
        MinHash minHash = MinHash.defaults();
        try (FSDirectory directory = FSDirectory.open(Files.createDirectories(dir));
                IndexWriter writer = new IndexWriter(
                        directory, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND))) {
            Map<String, String> data = new HashMap<>();
            writer.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
            check(dir, data.get(MINHASH), minHash);
            writer.deleteDocuments(new Term(ORIGIN, origin));
            MessageDigest digest = Sha256.newDigest();
            long count = 0;
            while (conversations.hasNext()) {
                Conversation c = conversations.next();
                String text = MinHash.text(c);
                int[] shingles = MinHash.shingles(text);
                Document doc = new Document();
                doc.add(new StringField(ID, c.id(), Field.Store.YES));
                doc.add(new StringField(ORIGIN, origin, Field.Store.YES));
                for (String key : minHash.lookupKeys(c, shingles)) {
                    doc.add(new StringField(KEY, key, Field.Store.NO));
                }
                doc.add(new StoredField(SHINGLES, toBytes(shingles)));
                writer.addDocument(doc);
                digest.update((c.id() + "\n" + text + "\n").getBytes(StandardCharsets.UTF_8));
                count++;
            }
            OriginSummary summary =
                    new OriginSummary(origin, count, java.util.HexFormat.of().formatHex(digest.digest()));
            Map<String, OriginSummary> origins = origins(data);
            if (count == 0) {
                origins.remove(origin);
            } else {
                origins.put(origin, summary);
            }
            data.put(MINHASH, minHash.parameters());
            data.put(ORIGINS, JSON.writeValueAsString(origins));
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
            return summary;
        } catch (IOException e) {
            throw new HistoryIndexException("cannot update the dedupe history index " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of what the index holds (origins with their counts and content hashes); "" when none. */
    public static String fingerprint(Path dir) {
        Map<String, OriginSummary> origins = origins(dir);
        if (origins.isEmpty()) {
            return "";
        }
        try {
            return Sha256.ofBytes(JSON.writeValueAsBytes(origins));
        } catch (IOException e) {
            throw new HistoryIndexException("cannot hash the origins of " + dir, e);
        }
    }

    /** The origins recorded in the index, by name (empty when there is no index). */
    public static Map<String, OriginSummary> origins(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                return new TreeMap<>();
            }
            try (FSDirectory directory = FSDirectory.open(dir)) {
                if (!DirectoryReader.indexExists(directory)) {
                    return new TreeMap<>();
                }
                try (DirectoryReader reader = DirectoryReader.open(directory)) {
                    return origins(reader.getIndexCommit().getUserData());
                }
            }
        } catch (IOException e) {
            throw new HistoryIndexException("cannot read the dedupe history index " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, OriginSummary> origins(Map<String, String> data) {
        String json = data.get(ORIGINS);
        if (json == null) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(JSON.readValue(json, new TypeReference<Map<String, OriginSummary>>() {}));
        } catch (IOException e) {
            throw new HistoryIndexException("the dedupe history index's origin list is corrupt: " + e.getMessage(), e);
        }
    }

    private static void check(Path dir, String recorded, MinHash minHash) {
        if (recorded != null && !recorded.equals(minHash.parameters())) {
            throw new HistoryIndexException("the dedupe history index " + dir + " was built with MinHash " + recorded
                    + ", this version uses " + minHash.parameters() + "; delete the directory to rebuild it");
        }
    }

    static byte[] toBytes(int[] shingles) {
        ByteBuffer b = ByteBuffer.allocate(4 * shingles.length);
        b.asIntBuffer().put(shingles);
        return b.array();
    }

    static int[] fromBytes(BytesRef ref) {
        if (ref.length % 4 != 0) {
            throw new HistoryIndexException("a stored shingle set has " + ref.length + " bytes, not a multiple of 4");
        }
        int[] out = new int[ref.length / 4];
        ByteBuffer.wrap(ref.bytes, ref.offset, ref.length).asIntBuffer().get(out);
        return out;
    }

    /** Looks conversations up in the index; thread-safe, one per pipeline worker. */
    static final class Matcher implements Closeable {
        private static final int MAX_CANDIDATES = 64;
        private final FSDirectory directory;
        private final DirectoryReader reader;
        private final IndexSearcher searcher;

        private Matcher(FSDirectory directory, DirectoryReader reader) {
            this.directory = directory;
            this.reader = reader;
            this.searcher = new IndexSearcher(reader);
        }

        /** The index at {@code dir}, or empty when there is none yet. */
        static Optional<Matcher> open(Path dir, MinHash minHash) {
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            FSDirectory directory = null;
            DirectoryReader reader = null;
            try {
                directory = FSDirectory.open(dir);
                if (!DirectoryReader.indexExists(directory)) {
                    directory.close();
                    return Optional.empty();
                }
                reader = DirectoryReader.open(directory);
                check(dir, reader.getIndexCommit().getUserData().get(MINHASH), minHash);
                return Optional.of(new Matcher(directory, reader));
            } catch (IOException | RuntimeException e) {
                IOUtils.closeWhileHandlingException(reader, directory);
                if (e instanceof HistoryIndexException h) {
                    throw h;
                }
                throw new HistoryIndexException(
                        "cannot open the dedupe history index " + dir + ": " + e.getMessage(), e);
            }
        }

        /** The {@code origin/id} of an indexed conversation that {@code sketch} repeats, if any. */
        Optional<String> match(Sketch sketch, String[] keys, double threshold) throws IOException {
            List<BytesRef> terms = new ArrayList<>(keys.length);
            for (String k : keys) {
                terms.add(new BytesRef(k));
            }
            ScoreDoc[] hits = searcher.search(new TermInSetQuery(KEY, terms), MAX_CANDIDATES).scoreDocs;
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc hit : hits) {
                Document doc = stored.document(hit.doc);
                Sketch indexed = new Sketch(doc.get(ID), 0, fromBytes(doc.getBinaryValue(SHINGLES)));
                if (sketch.repeats(indexed, threshold)) {
                    return Optional.of(doc.get(ORIGIN) + "/" + doc.get(ID));
                }
            }
            return Optional.empty();
        }

        @Override
        public void close() throws IOException {
            try (directory) {
                reader.close();
            }
        }
    }
}
