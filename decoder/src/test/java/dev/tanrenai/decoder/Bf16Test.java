package dev.tanrenai.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tanrenai.decoder.lora.LoraTarget;
import dev.tanrenai.decoder.lora.LoraWeights;
import dev.tanrenai.decoder.testing.RandomAdapters;
import dev.tanrenai.models.gguf.GgufFile;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bf16 cast through TorchScript, and a forward pass with bf16 matrix products against float32. */
class Bf16Test {

    /** Every log-probability (all positions, the whole vocabulary) of a bf16 forward stays this close to float32 on the tiny model (measured: 0.027). */
    static final double TINY_MAX_ABS_LOG_PROB = 0.05;

    @TempDir
    Path dir;

    @Test
    void loweringRoundsToTheNearestBf16TiesToEven() {
        float one = 1f;
        float[] values = {
            0f,
            -0f,
            one,
            -2.5f,
            Float.intBitsToFloat(0x3F808000), // 1 + 2^-8: half way between 1 and 1 + 2^-7, ties to 1
            Float.intBitsToFloat(0x3F818000), // 1 + 3·2^-8: half way, ties to the even 1 + 2^-6
            Float.intBitsToFloat(0x3F808001), // just above half way: rounds up
            3.1415927f,
            1e-30f,
            -6.02e23f,
            Float.POSITIVE_INFINITY,
            Float.MIN_VALUE,
        };
        SplittableRandom random = new SplittableRandom(3);
        float[] all = java.util.Arrays.copyOf(values, values.length + 500);
        for (int i = values.length; i < all.length; i++) {
            all[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-6, 7)));
        }
        float[] expected = new float[all.length];
        for (int i = 0; i < all.length; i++) {
            int bits = Float.floatToIntBits(all[i]);
            int lsb = (bits >>> 16) & 1;
            expected[i] = Float.intBitsToFloat((bits + 0x7FFF + lsb) & 0xFFFF0000); // round to nearest even
        }
        assertEquals(one, expected[4]);
        assertEquals(Float.intBitsToFloat(0x3F820000), expected[5]);
        try (NDManager m = NDManager.newBaseManager()) {
            Bf16 cast = Bf16.load(m);
            NDArray low = cast.lower(Tensors.of(m, all, new Shape(all.length)));
            assertEquals(DataType.UNKNOWN, low.getDataType(), "DJL 0.35.1 has no name for bf16");
            assertArrayEquals(expected, Bf16.raise(low).toFloatArray());
        }
    }

    @Test
    void onlyFloat32IsLowered() {
        try (NDManager m = NDManager.newBaseManager()) {
            Bf16 cast = Bf16.load(m);
            NDArray ints = Tensors.of(m, new long[] {1, 2}, new Shape(2));
            var e = assertThrows(IllegalArgumentException.class, () -> cast.lower(ints));
            assertTrue(e.getMessage().contains("int64"), e.getMessage());
        }
    }

    @Test
    void aBf16ForwardStaysCloseToFloat32AndRepeatsBitForBit() throws Exception {
        TinyModelSpec spec = TinyModelSpec.llamaDefault();
        Path model = dir.resolve("tiny.gguf");
        Path adapter = dir.resolve("lora.gguf");
        TinyModelMaker.write(spec, model);
        RandomAdapters.write(spec, EnumSet.of(LoraTarget.Q, LoraTarget.V, LoraTarget.DOWN), 4, 8f, 0.05f, 9, adapter);
        int[] tokens = new SplittableRandom(5).ints(96, 0, spec.vocabSize()).toArray();
        try (GgufFile gguf = GgufFile.open(model);
                NDManager m = NDManager.newBaseManager()) {
            DecoderWeights weights = DecoderWeights.load(gguf, m);
            LoraWeights lora = LoraWeights.loadFrozen(adapter, m);
            Bf16Weights low = Bf16Weights.of(weights);
            DecoderModel fp32 = new DecoderModel(weights, lora);
            DecoderModel bf16 = new DecoderModel(weights, lora, low);
            assertEquals(Precision.FLOAT32, fp32.precision());
            assertEquals(Precision.BFLOAT16, bf16.precision());
            float[] exact = fp32.logits(tokens, m).logSoftmax(-1).toFloatArray();
            float[] rounded = bf16.logits(tokens, m).logSoftmax(-1).toFloatArray();
            assertArrayEquals(rounded, bf16.logits(tokens, m).logSoftmax(-1).toFloatArray(), "bf16 repeats exactly");
            double max = 0;
            for (int i = 0; i < exact.length; i++) {
                max = Math.max(max, Math.abs(exact[i] - rounded[i]));
            }
            assertTrue(max > 0, "the bf16 path rounds something");
            assertTrue(max < TINY_MAX_ABS_LOG_PROB, "max |Δ log p| bf16 vs fp32: " + max);
            // the adapter is applied in bf16 as in fp32: without it the outputs move much further
            float[] base = new DecoderModel(weights, null, low)
                    .logits(tokens, m)
                    .logSoftmax(-1)
                    .toFloatArray();
            double adapterEffect = 0;
            for (int i = 0; i < base.length; i++) {
                adapterEffect = Math.max(adapterEffect, Math.abs(base[i] - rounded[i]));
            }
            assertTrue(adapterEffect > 10 * max, "adapter effect " + adapterEffect + " vs bf16 rounding " + max);
        }
    }

    @Test
    void precisionsParseByTheirShortNames() {
        assertEquals(Precision.BFLOAT16, Precision.parse("bf16"));
        assertEquals(Precision.FLOAT32, Precision.parse("FP32"));
        var e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
        assertEquals("unknown precision 'fp16': expected one of [fp32, bf16]", e.getMessage());
    }
}
