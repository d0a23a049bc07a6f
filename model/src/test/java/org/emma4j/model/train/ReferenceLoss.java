package org.emma4j.model.train;

import java.util.Map;
import org.emma4j.model.llama.RandomLlama;

/** The float64 mean next-token cross-entropy of a micro-batch under {@link org.emma4j.model.llama.ReferenceLlama}. */
final class ReferenceLoss {
    private ReferenceLoss() {
    }

    /** Sum of −log p(label) over labelled positions, every sequence of the batch run separately. */
    static double sum(RandomLlama model, Map<String, double[]> weights, int batch, int seqLen, int[] inputs, int[] labels) {
        var ref = model.reference(weights);
        double total = 0;
        for (int b = 0; b < batch; b++) {
            int[] ids = java.util.Arrays.copyOfRange(inputs, b * seqLen, (b + 1) * seqLen);
            double[][] logits = ref.logits(ids);
            for (int t = 0; t < seqLen; t++) {
                int label = labels[b * seqLen + t];
                if (label == LlamaTraining.IGNORE_INDEX) {
                    continue;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (double z : logits[t]) {
                    max = Math.max(max, z);
                }
                double s = 0;
                for (double z : logits[t]) {
                    s += Math.exp(z - max);
                }
                total += max + Math.log(s) - logits[t][label];
            }
        }
        return total;
    }
}
