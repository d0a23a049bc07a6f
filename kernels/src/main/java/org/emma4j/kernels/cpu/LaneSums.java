package org.emma4j.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order: a pairwise tree (lane i += lane i + half, halving until one
 * lane is left). {@code reduceLanes(ADD)} does not fix its order for floating point: C2's intrinsic adds in
 * a different order from the interpreter's and C1's fallback, so the same inputs give different bits before
 * and after a method is compiled. Training needs bit-identical results run to run (an exact resume after a
 * kill starts a fresh, cold JVM), so every floating-point lane sum goes through here; lanewise adds and lane
 * permutations are exact, whatever runs them. Compiled, this costs about what reduceLanes does.
 */
final class LaneSums {
    private LaneSums() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Rotations by half, a quarter, ... of the preferred float species, one per tree level. */
    private static final VectorShuffle<Float>[] F_LEVELS = levels(F);

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] levels(VectorSpecies<Float> species) {
        VectorShuffle<Float>[] out = new VectorShuffle[Integer.numberOfTrailingZeros(species.length())];
        int i = 0;
        for (int half = species.length() / 2; half >= 1; half /= 2) {
            out[i++] = VectorShuffle.iota(species, half, 1, true);
        }
        return out;
    }

    static float sum(FloatVector v) {
        if (v.species() == F) {
            for (VectorShuffle<Float> rotate : F_LEVELS) {
                v = v.add(v.rearrange(rotate));
            }
            return v.lane(0);
        }
        for (int half = v.length() / 2; half >= 1; half /= 2) {
            v = v.add(v.slice(half));
        }
        return v.lane(0);
    }

    static double sum(DoubleVector v) {
        for (int half = v.length() / 2; half >= 1; half /= 2) {
            v = v.add(v.slice(half));
        }
        return v.lane(0);
    }
}
