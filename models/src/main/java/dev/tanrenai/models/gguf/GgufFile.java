package dev.tanrenai.models.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An opened, fully validated GGUF (v2/v3) file: metadata, tensor infos and read-only memory-mapped
 * tensor data. Data sections up to 2 GiB are mapped once; larger files are mapped per tensor.
 */
public final class GgufFile implements AutoCloseable {
    /** Data sections up to this size are mapped with a single mapping. */
    static final long WHOLE_MAP_LIMIT = Integer.MAX_VALUE;

    private final Path path;
    private final FileChannel channel;
    private final GgufHeaderParser.Header header;
    private final Map<String, GgufTensorInfo> byName;
    private final MappedByteBuffer wholeData; // null when mapping per tensor
    private final Map<String, ByteBuffer> perTensor = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private GgufFile(Path path, FileChannel channel, GgufHeaderParser.Header header, long wholeMapLimit)
            throws IOException {
        this.path = path;
        this.channel = channel;
        this.header = header;
        Map<String, GgufTensorInfo> names = new LinkedHashMap<>();
        for (GgufTensorInfo t : header.tensors()) {
            names.put(t.name(), t);
        }
        this.byName = names;
        long dataSize = Math.max(0, header.fileSize() - header.dataOffset());
        this.wholeData = dataSize <= wholeMapLimit
                ? channel.map(FileChannel.MapMode.READ_ONLY, Math.min(header.dataOffset(), header.fileSize()), dataSize)
                : null;
    }

    /**
     * Opens and validates a GGUF file.
     *
     * @throws GgufFormatException if anything about the file is malformed
     * @throws NoSuchFileException if it does not exist
     */
    public static GgufFile open(Path path) throws IOException {
        return open(path, WHOLE_MAP_LIMIT);
    }

    static GgufFile open(Path path, long wholeMapLimit) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            GgufInput in = new GgufInput(channel, path, channel.size());
            GgufHeaderParser.Header header = new GgufHeaderParser(in).parse();
            return new GgufFile(path, channel, header, wholeMapLimit);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** GGUF format version (2 or 3). */
    public int version() {
        return header.version();
    }

    public GgufMetadata metadata() {
        return header.metadata();
    }

    /** Tensor infos in file order. */
    public List<GgufTensorInfo> tensors() {
        return header.tensors();
    }

    /** The tensor of that name, if present. */
    public Optional<GgufTensorInfo> findTensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The tensor of that name.
     *
     * @throws IllegalArgumentException if there is none
     */
    public GgufTensorInfo tensor(String name) {
        GgufTensorInfo t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named " + name + " in " + path);
        }
        return t;
    }

    /** Alignment of tensor data (general.alignment, default 32). */
    public int alignment() {
        return header.alignment();
    }

    /** Absolute file offset where the tensor data section starts. */
    public long dataOffset() {
        return header.dataOffset();
    }

    public long fileSize() {
        return header.fileSize();
    }

    /** Read-only little-endian view of a tensor's bytes (exactly {@code byteSize()} long). */
    public ByteBuffer rawData(GgufTensorInfo tensor) throws IOException {
        ensureOpen();
        GgufTensorInfo own = byName.get(tensor.name());
        if (!tensor.equals(own)) {
            throw new IllegalArgumentException("tensor " + tensor + " does not belong to " + path);
        }
        long size = own.byteSize();
        if (wholeData != null) {
            return wholeData
                    .slice((int) own.offset(), (int) size)
                    .asReadOnlyBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
        if (size > Integer.MAX_VALUE) {
            throw new GgufFormatException(
                    "tensor data of " + size + " bytes is larger than one 2 GiB mapping",
                    path,
                    dataOffset() + own.offset(),
                    own.name());
        }
        ByteBuffer mapped = perTensor.get(own.name());
        if (mapped == null) {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataOffset() + own.offset(), size)
                    .asReadOnlyBuffer();
            perTensor.put(own.name(), mapped);
        }
        return mapped.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Dequantizes a whole tensor into a new float array (ggml order, ne[0] fastest). */
    public float[] dequantize(String name) throws IOException {
        GgufTensorInfo t = tensor(name);
        if (t.elementCount() > Integer.MAX_VALUE - 8) {
            throw new GgufFormatException(
                    "tensor has " + t.elementCount()
                            + " elements, too many for a float[]; use dequantize(name, FloatBuffer)",
                    path,
                    -1,
                    name);
        }
        float[] out = new float[(int) t.elementCount()];
        dequantize(name, FloatBuffer.wrap(out));
        return out;
    }

    /** Dequantizes a tensor into {@code dst} (advancing its position by the element count). */
    public void dequantize(String name, FloatBuffer dst) throws IOException {
        GgufTensorInfo t = tensor(name);
        Dequantizer.dequantize(t, rawData(t), dst, path);
    }

    /** A summary of architecture, hyper-parameters and tensors. */
    public GgufSummary summary() {
        return GgufSummary.of(this);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        perTensor.clear();
        channel.close();
    }
}
