package org.emma4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * {@link RopeFrequencies} against an independent reimplementation of Hugging Face transformers'
 * {@code _compute_default_rope_parameters} and {@code _compute_llama3_parameters}
 * (modeling_rope_utils.py) and of LlamaRotaryEmbedding's angles. Torch runs those steps on float32
 * tensors; here every float32 operation is done in float64 and rounded to float32, which for +, −, ×, ÷
 * is exactly the float32 result, so inverse frequencies must agree bit for bit. Cos and sin may differ
 * from the table by one float32 ulp (different libm paths for the double).
 */
class RopeFrequenciesTest {

    /** float32(x): the rounding torch applies after each float32 tensor operation. */
    private static float f32(double x) {
        return (float) x;
    }

    /** {@code 1 / base ** (arange(0, dim, 2).float() / dim)} in float32 steps. */
    private static float[] hfDefault(double theta, int dim) {
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = f32((double) f32(2 * i) / (double) f32(dim));
            float pow = f32(StrictMath.pow(f32(theta), exponent));
            inv[i] = f32(1.0 / pow);
        }
        return inv;
    }

    /**
     * {@code _compute_llama3_parameters}: wavelen = 2π / inv; keep where wavelen < old/high, divide by factor
     * where wavelen > old/low, else interpolate with smooth = (old / wavelen − low) / (high − low). Torch
     * compares the float32 wavelengths with the Python-float band edges cast to float32.
     */
    private static float[] hfLlama3(double theta, int dim, double factor, double low, double high, int old) {
        float[] inv = hfDefault(theta, dim);
        float lowFreqWavelen = f32(old / low);
        float highFreqWavelen = f32(old / high);
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            float wavelen = f32(f32(2 * Math.PI) / (double) inv[i]);
            float llama = wavelen > lowFreqWavelen ? f32(inv[i] / (double) f32(factor)) : inv[i];
            float smooth = f32(f32(f32((double) f32(old) / wavelen) - (double) f32(low)) / (double) f32(high - low));
            float smoothed = f32((double) f32((double) f32((double) f32(1 - (double) smooth) * llama) / f32(factor))
                    + (double) f32((double) smooth * llama));
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            out[i] = medium ? smoothed : llama;
        }
        return out;
    }

    /** Which band each frequency falls in: 0 kept (short wavelength), 1 interpolated, 2 divided by factor. */
    private static int[] bands(float[] defaultInv, int old, double low, double high) {
        int[] band = new int[defaultInv.length];
        for (int i = 0; i < band.length; i++) {
            float wavelen = f32(f32(2 * Math.PI) / (double) defaultInv[i]);
            band[i] = wavelen < f32(old / high) ? 0 : wavelen > f32(old / low) ? 2 : 1;
        }
        return band;
    }

    @Test
    void defaultInverseFrequenciesMatchTransformers() {
        for (int dim : new int[]{2, 6, 64, 128, 130}) {
            for (double theta : new double[]{10000, 500000}) {
                float[] want = hfDefault(theta, dim);
                float[] got = new RopeFrequencies(theta, dim, null).inverseFrequencies();
                assertArrayEquals(want, got, 0f, "default inverse frequencies, theta " + theta + ", dim " + dim);
                assertEquals(1f, got[0], "the first frequency is theta^0");
            }
        }
    }

    @Test
    void llama3ScalingMatchesTransformersInEveryBand() {
        // Llama 3.1's own setting, and a small original context that makes short test sequences span all bands.
        Object[][] configs = {
                {500000.0, 128, 8.0, 1.0, 4.0, 8192},
                {500000.0, 64, 32.0, 1.0, 4.0, 8192},
                {10000.0, 16, 8.0, 1.0, 4.0, 64},
                {500000.0, 66, 8.0, 1.0, 4.0, 64},
        };
        for (Object[] c : configs) {
            double theta = (double) c[0];
            int dim = (int) c[1];
            double factor = (double) c[2], low = (double) c[3], high = (double) c[4];
            int old = (int) c[5];
            String what = "llama3 theta " + theta + " dim " + dim + " factor " + factor + " original " + old;
            float[] plain = hfDefault(theta, dim);
            float[] want = hfLlama3(theta, dim, factor, low, high, old);
            float[] got = new RopeFrequencies(theta, dim, new RopeFrequencies.Llama3Scaling(factor, low, high, old)).inverseFrequencies();
            assertArrayEquals(want, got, 0f, what);
            int[] band = bands(plain, old, low, high);
            int[] seen = new int[3];
            for (int i = 0; i < band.length; i++) {
                seen[band[i]]++;
                switch (band[i]) {
                    case 0 -> assertEquals(plain[i], got[i], 0f, what + ": high frequency " + i + " is kept");
                    case 2 -> assertEquals(plain[i] / (float) factor, got[i], 0f, what + ": low frequency " + i + " is divided by the factor");
                    default -> assertTrue(got[i] <= plain[i] && got[i] >= plain[i] / (float) factor,
                            what + ": medium frequency " + i + " lies between kept and divided, found " + got[i] + " from " + plain[i]);
                }
            }
            assertTrue(seen[0] > 0 && seen[1] > 0 && seen[2] > 0, what + ": the test setting must reach all three bands, found " + seen[0]
                    + " kept, " + seen[1] + " interpolated, " + seen[2] + " divided");
        }
    }

    @Test
    void cosSinTableRoundsAnglesAsFloat32PositionTimesFrequency() {
        int dim = 8;
        int maxPositions = 100_001;
        checkTable(new RopeFrequencies(10000, dim, null), hfDefault(10000, dim), maxPositions, true);
        checkTable(new RopeFrequencies(500000, dim, new RopeFrequencies.Llama3Scaling(8, 1, 4, 64)),
                hfLlama3(500000, dim, 8, 1, 4, 64), maxPositions, false);
    }

    private static void checkTable(RopeFrequencies rope, float[] inv, int maxPositions, boolean requireVisibleRounding) {
        float[] table = rope.cosSinTable(maxPositions);
        int half = inv.length;
        assertEquals(2 * maxPositions * half, table.length);
        double worstExactAngleGap = 0;
        int[] early = {0, 1, 2, 63, 64, 1000, 8191, 65_537};
        for (int n = 0; n < early.length + 1001; n++) {
            int pos = n < early.length ? early[n] : 99_000 + (n - early.length);
            for (int i = 0; i < half; i++) {
                // LlamaRotaryEmbedding: freqs = inv_freq (float32) @ position (float32), then cos / sin in float32.
                float angle = f32((double) f32(pos) * inv[i]);
                checkUlp(f32(StrictMath.cos(angle)), table[pos * half + i], rope + ": cos at position " + pos + ", frequency " + i);
                checkUlp(f32(StrictMath.sin(angle)), table[(maxPositions + pos) * half + i], rope + ": sin at position " + pos + ", frequency " + i);
                worstExactAngleGap = Math.max(worstExactAngleGap, Math.abs(Math.cos((double) pos * inv[i]) - table[pos * half + i]));
            }
        }
        if (requireVisibleRounding) {
            // Near position 100000 the float32 rounding of the angle moves cos by far more than an ulp, so the
            // agreement above pins the rounding convention down (an exact double angle would fail it).
            assertTrue(worstExactAngleGap > 1e-4, "positions this large must make float32 angle rounding visible, gap " + worstExactAngleGap);
        }
    }

    private static void checkUlp(float want, float got, String what) {
        if (Math.abs(want - got) > Math.ulp(want)) {
            fail(what + ": expected " + want + ", found " + got + " (more than one float32 ulp apart)");
        }
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RopeFrequencies(10000, 7, null));
        assertThrows(IllegalArgumentException.class, () -> new RopeFrequencies(1, 8, null));
        assertThrows(IllegalArgumentException.class, () -> new RopeFrequencies.Llama3Scaling(8, 4, 1, 8192));
    }
}
