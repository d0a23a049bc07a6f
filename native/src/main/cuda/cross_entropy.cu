// Softmax cross-entropy per row, alone or fused with its gradient (in place allowed: dlogits may be logits).
// One block per row: the max, then Σ e^(x−max) (each exponential in f32, the sum in double), then for the
// gradient e^(x−max)/Σ · loss_scale, and for the label −(Σ − e_label)/Σ · loss_scale, which keeps its relative
// accuracy when p_label is near 1. The label's logit is read before anything is written.
#include "common.cuh"

extern "C" __global__ void emma4j_cross_entropy(float* losses, void* dlogits, int d_dtype, const void* logits, int l_dtype,
                                                const int* labels, int rows, int vocab, float loss_scale, int ignore_index,
                                                const unsigned long long* first_bad) {
    __shared__ float fscratch[32];
    __shared__ double dscratch[32];
    if (*first_bad != EMMA4J_NO_BAD_INDEX) return;
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        i64 base = (i64) r * vocab;
        int label = labels[r];
        if (label == ignore_index) {
            if (threadIdx.x == 0) losses[r] = 0.0f;
            if (dlogits != nullptr) {
                for (int c = threadIdx.x; c < vocab; c += blockDim.x) store_from_float(dlogits, d_dtype, base + c, 0.0f);
            }
            continue;
        }
        float m = -EMMA4J_INF;
        for (int c = threadIdx.x; c < vocab; c += blockDim.x) m = fmaxf(m, load_as_float(logits, l_dtype, base + c));
        m = block_max(m, fscratch);
        double sum = 0.0;
        for (int c = threadIdx.x; c < vocab; c += blockDim.x) sum += (double) expf(load_as_float(logits, l_dtype, base + c) - m);
        sum = block_sum_double(sum, dscratch);
        float target = load_as_float(logits, l_dtype, base + label);
        if (threadIdx.x == 0) losses[r] = (float) ((double) m + log(sum) - (double) target);
        if (dlogits != nullptr) {
            double e_label = (double) expf(target - m);
            // Every thread has read the target (and the block reductions synchronised); now the row may be overwritten.
            __syncthreads();
            float k = (float) ((double) loss_scale / sum);
            for (int c = threadIdx.x; c < vocab; c += blockDim.x) {
                float g = c == label ? (float) ((e_label - sum) / sum * (double) loss_scale)
                                     : expf(load_as_float(logits, l_dtype, base + c) - m) * k;
                store_from_float(dlogits, d_dtype, base + c, g);
            }
        }
        __syncthreads();
    }
}
