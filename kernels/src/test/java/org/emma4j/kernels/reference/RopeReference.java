package org.emma4j.kernels.reference;

/**
 * Float64 rotary embedding in Hugging Face's rotate-half layout on x [B, T, H, D], with the angles' cos and
 * sin taken from the same [2, maxPositions, D/2] table the kernels read (so this checks the rotation, and
 * RopeFrequenciesTest checks the table).
 */
public final class RopeReference {
    private RopeReference() {
    }

    /**
     * Returns x with each pair (x_i, x_{i+D/2}) rotated by the angle of position pos0 + t:
     * (x_i cos − x_{i+D/2} sin, x_{i+D/2} cos + x_i sin); {@code inverse} rotates by the opposite angle.
     */
    public static double[] rotate(double[] x, int batch, int steps, int heads, int headDim, float[] cosSin,
                                  int maxPositions, int pos0, boolean inverse) {
        int half = headDim / 2;
        double[] y = new double[x.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int pos = pos0 + t;
                for (int h = 0; h < heads; h++) {
                    int base = ((b * steps + t) * heads + h) * headDim;
                    for (int i = 0; i < half; i++) {
                        double c = cosSin[pos * half + i];
                        double s = cosSin[(maxPositions + pos) * half + i];
                        if (inverse) {
                            s = -s;
                        }
                        double lo = x[base + i];
                        double hi = x[base + half + i];
                        y[base + i] = lo * c - hi * s;
                        y[base + half + i] = hi * c + lo * s;
                    }
                }
            }
        }
        return y;
    }
}
