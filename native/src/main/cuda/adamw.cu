// One AdamW step on f32 master weights and moments, in PyTorch's order (see org.emma4j.kernels.AdamWStep):
// g = grad_scale·grad; p ← p·decay; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
// p ← p − step_size · m / (√v · inv_sqrt_bias2 + ε). The bias corrections arrive precomputed in double on the
// host. copy, when not null, receives the new parameter rounded to its dtype (bf16 compute weights).
#include "common.cuh"

extern "C" __global__ void emma4j_adamw(float* param, const void* grad, int g_dtype, float* m, float* v, void* copy, int c_dtype,
                                        i64 n, float grad_scale, float beta1, float beta2, float one_minus_beta1,
                                        float one_minus_beta2, float decay, float step_size, float inv_sqrt_bias2, float eps) {
    GRID_STRIDE_LOOP(i, n) {
        float g = load_as_float(grad, g_dtype, i) * grad_scale;
        float mv = m[i] * beta1 + g * one_minus_beta1;
        float vv = v[i] * beta2 + g * g * one_minus_beta2;
        float denom = sqrtf(vv) * inv_sqrt_bias2 + eps;
        float p = param[i] * decay - mv / denom * step_size;
        m[i] = mv;
        v[i] = vv;
        param[i] = p;
        if (copy != nullptr) store_from_float(copy, c_dtype, i, p);
    }
}
