// SwiGLU h = silu(g)·u with silu(g) = g·σ(g), σ(g) = 1/(1 + e^(−g)). For very negative g, e^(−g) overflows to
// +∞ and σ is exactly 0, so no NaN appears for any finite input.
#include "common.cuh"

__device__ __forceinline__ float sigmoidf(float g) {
    return 1.0f / (1.0f + expf(-g));
}

extern "C" __global__ void emma4j_swiglu_forward(void* h, int h_dtype, const void* gate, int g_dtype, const void* up, int u_dtype, i64 n) {
    GRID_STRIDE_LOOP(i, n) {
        float g = load_as_float(gate, g_dtype, i);
        float u = load_as_float(up, u_dtype, i);
        store_from_float(h, h_dtype, i, g * sigmoidf(g) * u);
    }
}

// dgate += dh·u·σ(g)·(1 + g·(1 − σ(g))), dup += dh·silu(g).
extern "C" __global__ void emma4j_swiglu_backward(void* dgate, int dg_dtype, void* dup, int du_dtype, const void* dh, int dh_dtype,
                                                  const void* gate, int g_dtype, const void* up, int u_dtype, i64 n) {
    GRID_STRIDE_LOOP(i, n) {
        float g = load_as_float(gate, g_dtype, i);
        float u = load_as_float(up, u_dtype, i);
        float d = load_as_float(dh, dh_dtype, i);
        float s = sigmoidf(g);
        float dsilu = s * (1.0f + g * (1.0f - s));
        store_from_float(dgate, dg_dtype, i, fmaf(d * u, dsilu, load_as_float(dgate, dg_dtype, i)));
        store_from_float(dup, du_dtype, i, d * (g * s) + load_as_float(dup, du_dtype, i));
    }
}
