package org.emma4j.kernels;

/**
 * Rotary position embedding frequencies, computed exactly as Hugging Face transformers computes them:
 * float32 inverse frequencies {@code 1 / theta^(2i/d)}, optionally rescaled by Llama 3.1's band rule, and
 * angles {@code float32(position) * invFreq} rounded to float32 before cos and sin. Matching that rounding
 * keeps logits in agreement with the reference at long positions.
 *
 * @param theta     the rope base (500000 for Llama 3)
 * @param headDim   the rotated dimension (even)
 * @param scaling   Llama 3.1 frequency rescaling, or null for none
 */
public record RopeFrequencies(double theta, int headDim, Llama3Scaling scaling) {

    /**
     * Llama 3.1's {@code rope_scaling} of type {@code llama3}: wavelengths longer than
     * {@code originalMaxPositions / lowFreqFactor} are divided by {@code factor}, shorter than
     * {@code originalMaxPositions / highFreqFactor} are kept, and the band between is interpolated.
     */
    public record Llama3Scaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
        public Llama3Scaling {
            if (!(factor > 0) || !(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor) || originalMaxPositions <= 0) {
                throw new IllegalArgumentException("llama3 rope scaling needs factor > 0, 0 < low_freq_factor < high_freq_factor"
                        + " and original_max_position_embeddings > 0; found factor=" + factor + ", low_freq_factor=" + lowFreqFactor
                        + ", high_freq_factor=" + highFreqFactor + ", original_max_position_embeddings=" + originalMaxPositions);
            }
        }
    }

    public RopeFrequencies {
        if (headDim <= 0 || headDim % 2 != 0) {
            throw new IllegalArgumentException("rope head dimension must be positive and even, found " + headDim);
        }
        if (!(theta > 1)) {
            throw new IllegalArgumentException("rope theta must be > 1, found " + theta);
        }
    }

    /** The float32 inverse frequencies, headDim / 2 of them. */
    public float[] inverseFrequencies() {
        int half = headDim / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            float pow = (float) Math.pow((float) theta, exponent);
            inv[i] = 1.0f / pow;
        }
        if (scaling == null) {
            return inv;
        }
        float factor = (float) scaling.factor;
        float low = (float) scaling.lowFreqFactor;
        float high = (float) scaling.highFreqFactor;
        float oldContext = scaling.originalMaxPositions;
        double lowFreqWavelen = scaling.originalMaxPositions / scaling.lowFreqFactor;
        double highFreqWavelen = scaling.originalMaxPositions / scaling.highFreqFactor;
        for (int i = 0; i < half; i++) {
            float wavelen = (float) (2 * Math.PI) / inv[i];
            float scaled = wavelen > lowFreqWavelen ? inv[i] / factor : inv[i];
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            if (medium) {
                float smooth = (oldContext / wavelen - low) / (high - low);
                scaled = (1 - smooth) * scaled / factor + smooth * scaled;
            }
            inv[i] = scaled;
        }
        return inv;
    }

    /**
     * Host table of {@code cos} then {@code sin} for positions {@code [0, maxPositions)}: a float array of
     * shape [2, maxPositions, headDim / 2].
     */
    public float[] cosSinTable(int maxPositions) {
        float[] inv = inverseFrequencies();
        int half = inv.length;
        float[] table = new float[2 * maxPositions * half];
        int sinBase = maxPositions * half;
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) p * inv[i];
                table[p * half + i] = (float) Math.cos(angle);
                table[sinBase + p * half + i] = (float) Math.sin(angle);
            }
        }
        return table;
    }
}
