package org.emma4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Transcendental functions built only from exact lanewise arithmetic (fma, add, mul, shifts), so they give the
 * same bits interpreted, C1- or C2-compiled. {@code lanewise(VectorOperators.EXP)} does not: compiled, it calls
 * an SVML-style stub, while the fallback computes {@code (float) Math.exp} per lane, and about 1% of the lanes
 * differ by an ulp — enough to break a bit-exact training resume in a fresh JVM.
 */
final class VectorMath {
    private VectorMath() {
    }

    /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer (round half to even). */
    private static final float ROUNDER = 12582912f;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that n·LN2_HI is exact for |n| < 2⁹ (Cody–Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;

    /**
     * e^x within two ulps of the exact value (about one in practice) (normal results), e^−∞ = 0, e^∞ = ∞, NaN stays NaN, and subnormal
     * results down to e^−103.9. Range reduction x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-7 polynomial
     * for e^r (Cephes expf's coefficients), and 2ⁿ applied in two halves so that n down to −150 stays exact.
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(-104f).min(89f); // beyond: 0 or ∞ anyway; keeps n in [-150, 129]. NaN passes through.
        FloatVector n = x.fma(x.broadcast(LOG2E), x.broadcast(ROUNDER)).sub(ROUNDER);
        FloatVector r = n.fma(x.broadcast(-LN2_HI), x);
        r = n.fma(x.broadcast(-LN2_LO), r);
        FloatVector p = r.fma(x.broadcast(1.9875691500e-4f), x.broadcast(1.3981999507e-3f));
        p = p.fma(r, x.broadcast(8.3334519073e-3f));
        p = p.fma(r, x.broadcast(4.1665795894e-2f));
        p = p.fma(r, x.broadcast(1.6666665459e-1f));
        p = p.fma(r, x.broadcast(5.0000001201e-1f));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector scale1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scale2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale1).mul(scale2);
    }
}
