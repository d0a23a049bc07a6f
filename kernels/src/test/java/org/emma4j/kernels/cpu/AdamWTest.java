package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.DType.BF16;
import static org.emma4j.kernels.DType.F32;
import static org.emma4j.kernels.TestTensors.assertClose;
import static org.emma4j.kernels.cpu.KernelTestSupport.maxAbs;
import static org.emma4j.kernels.cpu.KernelTestSupport.stored;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.reference.AdamWReference;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AdamWTest {
    private static final int STEPS = 5;

    static Stream<Named<Backend>> backends() {
        return KernelTestSupport.backends();
    }

    /** dtypes of grad and of paramCopy (null: no copy). */
    private static final DType[][] TYPES = {{F32, null}, {F32, BF16}, {BF16, BF16}, {BF16, F32}};

    /** Five steps with fresh gradients each, against the same five steps in float64 carried in double state. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void consecutiveStepsFollowTheFloat64Update(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        // 40003 is enough for the pool to split the update over two tasks.
        int[] sizes = {1, 7, 33, 97, 130, 40_003};
        for (DType[] types : TYPES) {
            for (int n : sizes) {
                run(backend, seed, rnd, types[0], types[1], n,
                        new AdamWStep(3e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, 1, 0.7f));
            }
        }
        // Other settings: no weight decay and no scaling; very different betas and a large eps.
        run(backend, seed, rnd, F32, null, 97, new AdamWStep(1e-2f, 0.8f, 0.999f, 1e-8f, 0f, 1, 1f));
        run(backend, seed, rnd, F32, BF16, 97, new AdamWStep(5e-4f, 0.5f, 0.9f, 1e-3f, 0.05f, 1, 0.25f));
    }

    private static void run(Backend backend, long seed, SplittableRandom rnd, DType gradType, DType copyType, int n, AdamWStep settings) {
        String what = "adamw n=" + n + " grad " + gradType + " copy " + copyType + " " + settings;
        try (TensorScope scope = backend.newScope()) {
            float[] p0 = TestTensors.gaussian(rnd, n, 0.5);
            Tensor p = TestTensors.tensor(backend, scope, F32, p0, n);
            Tensor m = scope.zeros(F32, n);
            Tensor v = scope.zeros(F32, n);
            Tensor g = scope.allocate(gradType, n);
            Tensor copy = copyType == null ? null : scope.allocate(copyType, n);
            double[] pRef = TestTensors.toDouble(p0);
            double[] mRef = new double[n];
            double[] vRef = new double[n];
            double gradScaleSeen = 0;
            for (int t = 1; t <= STEPS; t++) {
                // Gradients of changing scale and sign each step, some much smaller than others.
                float[] grad = TestTensors.gaussian(rnd, n, Math.pow(10, rnd.nextInt(-3, 1)));
                backend.fromFloats(g, grad);
                AdamWStep s = new AdamWStep(settings.lr(), settings.beta1(), settings.beta2(), settings.eps(), settings.weightDecay(),
                        t, settings.gradScale());
                backend.adamw(p, g, m, v, s, copy);
                double[] gd = stored(grad, gradType);
                gradScaleSeen = Math.max(gradScaleSeen, maxAbs(gd) * settings.gradScale());
                AdamWReference.step(pRef, mRef, vRef, gd, s);
                String at = what + " step " + t;
                // Everything is f32 arithmetic on O(1) numbers with exact inputs: 1e-6 relative. The moments
                // of a gradient that changes sign may cancel, so m also gets 1e-6 of the largest scaled gradient so far,
                // and p 1e-6 of lr (its per-step change) on top.
                float[] pOut = backend.toFloats(p);
                assertClose(at + " param", seed, pRef, pOut, 1e-6, 1e-6 * settings.lr() * t);
                assertClose(at + " m", seed, mRef, backend.toFloats(m), 1e-6, 1e-6 * gradScaleSeen);
                assertClose(at + " v", seed, vRef, backend.toFloats(v), 1e-6, 0);
                if (copy != null) {
                    // The copy is the new f32 parameter rounded to its dtype, exactly.
                    assertArrayEquals(copyType == BF16 ? TestTensors.roundToBf16(pOut) : pOut, backend.toFloats(copy), at + " paramCopy; seed " + seed);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void stateMustBeF32AndSizesMustMatch(Backend backend) {
        try (TensorScope scope = backend.newScope()) {
            Tensor p = scope.zeros(F32, 10).named("w");
            Tensor g = scope.zeros(F32, 10).named("w.grad");
            Tensor m = scope.zeros(F32, 10).named("w.m");
            Tensor v16 = scope.zeros(BF16, 10).named("w.v16");
            AdamWStep s = new AdamWStep(1e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, 1, 1f);
            var e = assertThrows(IllegalArgumentException.class, () -> backend.adamw(p, g, m, v16, s, null));
            assertTrue(e.getMessage().contains("w.v16") && e.getMessage().contains("F32"), e.getMessage());
            Tensor g9 = scope.zeros(F32, 9).named("short.grad");
            e = assertThrows(IllegalArgumentException.class, () -> backend.adamw(p, g9, m, m, s, null));
            assertTrue(e.getMessage().contains("short.grad") && e.getMessage().contains("w"), e.getMessage());
            Tensor copy = scope.zeros(BF16, 11).named("w.bf16");
            e = assertThrows(IllegalArgumentException.class, () -> backend.adamw(p, g, m, scope.zeros(F32, 10), s, copy));
            assertTrue(e.getMessage().contains("w.bf16"), e.getMessage());
        }
    }
}
