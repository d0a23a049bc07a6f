// RMSNorm over the last dimension: y = x · rstd · w with rstd = 1/sqrt(mean(x²) + eps), one block per row.
#include "common.cuh"

extern "C" __global__ void emma4j_rmsnorm_forward(void* y, int y_dtype, float* rstd_out, const void* x, int x_dtype,
                                                  const void* w, int w_dtype, int rows, int cols, float eps) {
    __shared__ float scratch[32];
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        i64 base = (i64) r * cols;
        float ss = 0.0f;
        for (int c = threadIdx.x; c < cols; c += blockDim.x) {
            float v = load_as_float(x, x_dtype, base + c);
            ss = fmaf(v, v, ss);
        }
        ss = block_sum(ss, scratch);
        float rstd = (float) (1.0 / sqrt((double) ss / cols + (double) eps));
        if (rstd_out != nullptr && threadIdx.x == 0) rstd_out[r] = rstd;
        for (int c = threadIdx.x; c < cols; c += blockDim.x) {
            float v = load_as_float(x, x_dtype, base + c);
            store_from_float(y, y_dtype, base + c, v * rstd * load_as_float(w, w_dtype, c));
        }
    }
}

// dx += rstd·(w∘dy) − x·rstd³·mean(x∘w∘dy). The dweight terms Σ_rows dy∘x·rstd of the rows a block handles are
// summed into that block's own row of dw_partial [gridDim.x, cols] (f32, written, not accumulated), which
// emma4j_rmsnorm_dweight then adds into dweight: no atomics, and a sum order independent of timing.
extern "C" __global__ void emma4j_rmsnorm_backward(void* dx, int dx_dtype, float* dw_partial, const void* dy, int dy_dtype,
                                                   const void* x, int x_dtype, const void* w, int w_dtype,
                                                   const float* rstd, int rows, int cols) {
    __shared__ float scratch[32];
    float* my_dw = dw_partial + (i64) blockIdx.x * cols;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) my_dw[c] = 0.0f;
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        i64 base = (i64) r * cols;
        float rs = rstd[r];
        float dot = 0.0f;
        for (int c = threadIdx.x; c < cols; c += blockDim.x) {
            dot = fmaf(load_as_float(x, x_dtype, base + c) * load_as_float(w, w_dtype, c), load_as_float(dy, dy_dtype, base + c), dot);
        }
        dot = block_sum(dot, scratch);
        float coef = (float) ((double) dot / cols * rs * rs * rs);
        for (int c = threadIdx.x; c < cols; c += blockDim.x) {
            float xv = load_as_float(x, x_dtype, base + c);
            float dyv = load_as_float(dy, dy_dtype, base + c);
            float wdy = load_as_float(w, w_dtype, c) * dyv;
            float d = load_as_float(dx, dx_dtype, base + c);
            store_from_float(dx, dx_dtype, base + c, fmaf(wdy, rs, d) - xv * coef);
            // Each column c is only ever touched by the same thread of this block: no race.
            my_dw[c] = fmaf(dyv * xv, rs, my_dw[c]);
        }
    }
}

// dweight[c] += Σ_b dw_partial[b, c], one thread per column, partials summed in block order.
extern "C" __global__ void emma4j_rmsnorm_dweight(void* dweight, int dw_dtype, const float* dw_partial, int blocks, int cols) {
    GRID_STRIDE_LOOP(c, cols) {
        float s = load_as_float(dweight, dw_dtype, c);
        for (int b = 0; b < blocks; b++) s += dw_partial[(i64) b * cols + c];
        store_from_float(dweight, dw_dtype, c, s);
    }
}
