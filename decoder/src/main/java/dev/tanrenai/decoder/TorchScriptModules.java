package dev.tanrenai.decoder;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * TorchScript modules written as source and loaded through DJL's own module loader: libtorch compiles
 * the code on load, so the operations DJL 0.35.1 lacks (a bf16 cast) or that cost one JNI call each
 * (a whole scoring forward) run as one call. A module here has no weights of its own: every tensor is
 * passed in when it is called.
 */
final class TorchScriptModules {
    private TorchScriptModules() {}

    /**
     * Loads the module of class {@code className} whose {@code code/__torch__.py} is {@code code} into
     * {@code manager} (a PyTorch-engine manager, which frees it).
     *
     * @param what what the module is, for the error messages
     */
    static PtSymbolBlock load(NDManager manager, String className, String code, String what) {
        if (!(manager instanceof PtNDManager pt)) {
            throw new IllegalArgumentException(what + " needs DJL's PyTorch engine, but the manager belongs to "
                    + manager.getEngine().getEngineName());
        }
        try {
            return JniUtils.loadModule(pt, new ByteArrayInputStream(archive(className, code)), true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not load the " + what + " module into libtorch", e);
        }
    }

    /**
     * The TorchScript archive: {@code code/__torch__.py} with the module's class, {@code data.pkl}
     * with its one attribute ({@code training}) pickled as {@code torch.jit.save} pickles a module,
     * an empty {@code constants.pkl} and the format {@code version}.
     */
    static byte[] archive(String className, String code) {
        if (!className.matches("[A-Za-z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException("not a plain class name: " + className);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(new byte[] {(byte) 0x80, 2}); // PROTO 2
        data.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        data.writeBytes(new byte[] {'q', 0, ')', (byte) 0x81, '}', 'q', 1}); // BINPUT, EMPTY_TUPLE, NEWOBJ, {}
        data.writeBytes(new byte[] {'X', 8, 0, 0, 0}); // BINUNICODE of 8 bytes
        data.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
        data.writeBytes(new byte[] {'q', 2, (byte) 0x88, 's', 'b', '.'}); // True, SETITEM, BUILD, STOP
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "data.pkl", data.toByteArray());
            put(zip, "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            put(zip, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            put(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return out.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry("archive/" + name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }
}
