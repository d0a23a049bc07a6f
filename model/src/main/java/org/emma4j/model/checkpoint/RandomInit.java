package org.emma4j.model.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.Bf16;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.cpu.CpuPool;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.safetensors.TensorSource;

/**
 * Random weights as Hugging Face's {@code LlamaPreTrainedModel._init_weights} makes them: embedding and
 * linear weights drawn from normal(0, initializer_range), RMSNorm gains set to one. Values are generated as
 * float32 and rounded to the config's dtype (round to nearest even for BF16), as saving an initialised
 * PyTorch model in bf16 would.
 *
 * <p>Deterministic and streaming: every block of {@value #BLOCK} elements of every tensor has its own
 * generator, seeded from (seed, tensor name, block index). The bytes therefore depend only on the seed
 * and the shapes, not on the thread count or the order tensors are written, and each tensor is generated
 * straight into the output file when the writer reaches it, so an 8B model never sits in memory.
 */
public final class RandomInit {
    private RandomInit() {
    }

    /** Elements per independently seeded block. */
    static final int BLOCK = 1 << 16;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** The model's weights as sources that generate themselves on demand, in model order, in {@code config.dtype()}. */
    public static List<TensorSource> sources(LlamaConfig config, long seed, CpuPool pool) {
        DType dtype = config.dtype();
        double std = config.initializerRange();
        List<TensorSource> out = new ArrayList<>();
        for (LlamaTensorSpec spec : LlamaTensorNames.specs(config)) {
            String name = spec.name();
            long count = spec.elementCount();
            if (spec.kind() == LlamaTensorSpec.Kind.NORM) {
                out.add(new TensorSource(name, dtype, spec.shape(), dst -> fillOnes(dst, dtype, count)));
            } else {
                out.add(new TensorSource(name, dtype, spec.shape(), dst -> fillNormal(dst, dtype, count, std, seed, name, pool)));
            }
        }
        return out;
    }

    /** Writes {@code count} samples of normal(0, std) into {@code dst} as {@code dtype}, block-seeded (see class doc). */
    public static void fillNormal(MemorySegment dst, DType dtype, long count, double std, long seed, String name, CpuPool pool) {
        long nameHash = fnv1a64(name);
        long blocks = (count + BLOCK - 1) / BLOCK;
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor " + name + " is too large to initialise (" + count + " elements)");
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("weights cannot be " + dtype);
        }
        pool.parallelFor((int) blocks, b -> {
            SplittableRandom rnd = new SplittableRandom(blockSeed(seed, nameHash, b));
            long start = (long) b * BLOCK;
            int len = (int) Math.min(BLOCK, count - start);
            // Generate a block on the heap, then copy it out in bulk: far cheaper than per-element stores into
            // a shared mapped segment, and the block arrays are small and short-lived.
            if (dtype == DType.F32) {
                float[] block = new float[len];
                for (int i = 0; i < len; i++) {
                    block[i] = (float) (rnd.nextGaussian() * std);
                }
                MemorySegment.copy(block, 0, dst, F32, start * 4, len);
            } else {
                short[] block = new short[len];
                boolean bf16 = dtype == DType.BF16;
                for (int i = 0; i < len; i++) {
                    float v = (float) (rnd.nextGaussian() * std);
                    block[i] = bf16 ? Bf16.fromFloat(v) : Float.floatToFloat16(v);
                }
                MemorySegment.copy(block, 0, dst, I16, start * 2, len);
            }
        });
    }

    /** Writes {@code count} ones as {@code dtype}. */
    public static void fillOnes(MemorySegment dst, DType dtype, long count) {
        for (long i = 0; i < count; i++) {
            switch (dtype) {
                case F32 -> dst.setAtIndex(F32, i, 1f);
                case BF16 -> dst.setAtIndex(I16, i, Bf16.fromFloat(1f));
                case F16 -> dst.setAtIndex(I16, i, Float.floatToFloat16(1f));
                case I32 -> throw new IllegalArgumentException("weights cannot be I32");
            }
        }
    }

    private static long blockSeed(long seed, long nameHash, long block) {
        return mix64(mix64(seed ^ nameHash) + block * 0x9E3779B97F4A7C15L);
    }

    /** SplitMix64's finaliser: a bijective mix so nearby seeds give unrelated streams. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long fnv1a64(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return h;
    }
}
