// Whole-tensor elementwise kernels: fill, dtype casts, scale, add, accumulate, and the two-pass global sum
// of squares behind Backend.globalL2Norm.
#include "common.cuh"

// Fills n 16-bit elements with the same bits (bf16 and f16 fills; 32-bit fills use cuMemsetD32).
extern "C" __global__ void emma4j_fill16(unsigned short* p, unsigned int bits, i64 n) {
    GRID_STRIDE_LOOP(i, n) p[i] = (unsigned short) bits;
}

// dst = src converted: bf16/f16 to f32 exact, f32 to bf16 or f16 round to nearest even, bf16<->f16 through
// an exact float (one rounding). Same-dtype copies never get here (they are cuMemcpyDtoD).
extern "C" __global__ void emma4j_cast(void* dst, int dst_dtype, const void* src, int src_dtype, i64 n) {
    GRID_STRIDE_LOOP(i, n) store_from_float(dst, dst_dtype, i, load_as_float(src, src_dtype, i));
}

// x *= s, in place.
extern "C" __global__ void emma4j_scale(void* x, int dtype, float s, i64 n) {
    GRID_STRIDE_LOOP(i, n) store_from_float(x, dtype, i, load_as_float(x, dtype, i) * s);
}

// out = a + b; each element is read before it is written, so out may alias a or b.
extern "C" __global__ void emma4j_add(void* out, int out_dtype, const void* a, int a_dtype, const void* b, int b_dtype, i64 n) {
    GRID_STRIDE_LOOP(i, n) store_from_float(out, out_dtype, i, load_as_float(a, a_dtype, i) + load_as_float(b, b_dtype, i));
}

// dst += src (src f32): how backward kernels that accumulate in f32 scratch add into a gradient of any dtype,
// rounding once.
extern "C" __global__ void emma4j_accumulate(void* dst, int dst_dtype, const float* src, i64 n) {
    GRID_STRIDE_LOOP(i, n) store_from_float(dst, dst_dtype, i, load_as_float(dst, dst_dtype, i) + src[i]);
}

// Pass 1 of Σx²: block b sums the squares of elements [b·chunk, (b+1)·chunk) in double into partial[b].
// The chunk is fixed by the host, so the order of additions, hence the result, does not depend on the GPU.
extern "C" __global__ void emma4j_sum_squares_partial(const void* x, int dtype, i64 n, i64 chunk, double* partial) {
    __shared__ double scratch[32];
    i64 start = (i64) blockIdx.x * chunk;
    i64 end = min(n, start + chunk);
    double acc = 0.0;
    for (i64 i = start + threadIdx.x; i < end; i += blockDim.x) {
        double v = (double) load_as_float(x, dtype, i);
        acc = fma(v, v, acc);
    }
    acc = block_sum_double(acc, scratch);
    if (threadIdx.x == 0) partial[blockIdx.x] = acc;
}

// Pass 2: one block adds the count partial sums into *out.
extern "C" __global__ void emma4j_sum_partials(const double* partial, int count, double* out) {
    __shared__ double scratch[32];
    double acc = 0.0;
    for (int i = threadIdx.x; i < count; i += blockDim.x) acc += partial[i];
    acc = block_sum_double(acc, scratch);
    if (threadIdx.x == 0) *out = acc;
}
