package dev.tanrenai.serve;

import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.models.gguf.GgufWriter;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A home with a registered tiny champion and a LoRA challenger for it, the conversation store,
 * and a running server.
 */
final class ServeFixture implements AutoCloseable {

    final TanrenaiHome home;
    final Database db;
    final ConversationStore store;
    final ModelRegistry registry;
    final String baseId;
    final String adapterId;
    final ServeServer server;

    ServeFixture(Path dir, ServeConfig config, ChallengerGuard guard) throws IOException {
        home = new TanrenaiHome(dir.resolve("home")).initialize();
        db = Database.open(home.defaultJdbcUrl());
        store = new ConversationStore(db);
        registry = new ModelRegistry(db, home);
        Path model = dir.resolve("tiny.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), model);
        baseId = registry.addBaseModel(model, "tiny", false).id();
        Path adapter = dir.resolve("adapter.gguf");
        writeAdapter(adapter, 3);
        adapterId = registry.addAdapter(adapter, baseId, null, null, Map.of()).id();
        registry.moveAlias("champion", baseId, "test", "test");
        registry.moveAlias("challenger", adapterId, "test", "test");
        server = ServeServer.start(config, registry, store, home.nativeDir(), 0, guard);
    }

    /** A llama.cpp LoRA adapter for the tiny llama's q and v projections with random factors. */
    static void writeAdapter(Path out, long seed) throws IOException {
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        Random random = new Random(seed);
        GgufWriter w = new GgufWriter()
                .putString("general.type", "adapter")
                .putString("general.architecture", "llama")
                .putString("adapter.type", "lora")
                .putFloat32("adapter.lora.alpha", 8f);
        int dim = spec.embeddingLength();
        int kv = spec.headCountKv() * spec.headDim();
        for (int block = 0; block < spec.blockCount(); block++) {
            for (String[] t : new String[][] {{"attn_q", Integer.toString(dim)}, {"attn_v", Integer.toString(kv)}}) {
                int nOut = Integer.parseInt(t[1]);
                float[] a = new float[4 * dim];
                float[] b = new float[nOut * 4];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (random.nextGaussian() * 0.1);
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) (random.nextGaussian() * 0.1);
                }
                String base = "blk." + block + "." + t[0] + ".weight";
                w.addF32(base + ".lora_a", new long[] {dim, 4}, a);
                w.addF32(base + ".lora_b", new long[] {4, nOut}, b);
            }
        }
        w.write(out);
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
