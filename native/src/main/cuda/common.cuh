// Shared helpers of emma4j's CUDA kernels: dtype codes, exact bf16 conversions, loads and stores through
// a dtype chosen at run time (the branch is uniform across a launch, so it costs next to nothing in these
// memory-bound kernels), grid-stride loops and block reductions.
#pragma once
// Only cuda_fp16.h, so that the same source also compiles with NVRTC (bench/gpu/nvrtc_compile.py), which has
// no host headers.
#include <cuda_fp16.h>

// Tensor dtype codes, as org.emma4j.kernels.cuda.DeviceDTypes passes them.
#define EMMA4J_F32 0
#define EMMA4J_BF16 1
#define EMMA4J_F16 2

typedef long long i64;

// +infinity without <math.h>'s INFINITY (absent under NVRTC).
#define EMMA4J_INF __int_as_float(0x7F800000)

// bf16 is the upper half of a float32: widening is a shift (NaN payloads kept).
__device__ __forceinline__ float bf16_to_float(unsigned short b) {
    return __uint_as_float(((unsigned int) b) << 16);
}

// Round to nearest, ties to even, exactly as org.emma4j.kernels.Bf16.fromFloat: NaN stays a quiet NaN
// with its sign and upper payload, infinities stay infinite, overflow rounds to infinity.
__device__ __forceinline__ unsigned short float_to_bf16(float f) {
    unsigned int u = __float_as_uint(f);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) {
        return (unsigned short) ((u >> 16) | 0x0040u);
    }
    return (unsigned short) ((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

__device__ __forceinline__ float load_as_float(const void* p, int dtype, i64 i) {
    switch (dtype) {
        case EMMA4J_BF16: return bf16_to_float(((const unsigned short*) p)[i]);
        case EMMA4J_F16: return __half2float(((const __half*) p)[i]);
        default: return ((const float*) p)[i];
    }
}

__device__ __forceinline__ void store_from_float(void* p, int dtype, i64 i, float v) {
    switch (dtype) {
        case EMMA4J_BF16: ((unsigned short*) p)[i] = float_to_bf16(v); break;
        case EMMA4J_F16: ((__half*) p)[i] = __float2half_rn(v); break;
        default: ((float*) p)[i] = v; break;
    }
}

// First index and stride of a 1-D grid-stride loop.
#define GRID_STRIDE_LOOP(i, n) \
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64) blockDim.x * gridDim.x)

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xFFFFFFFFu, v, o);
    return v;
}

__device__ __forceinline__ double warp_sum_double(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xFFFFFFFFu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xFFFFFFFFu, v, o));
    return v;
}

// Sum over the whole block (blockDim.x a multiple of 32, at most 1024); every thread gets the result.
// scratch holds 32 values; the function synchronises, so it may be called repeatedly with the same scratch.
__device__ __forceinline__ float block_sum(float v, float* scratch) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = warp_sum(v);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = lane < warps ? scratch[lane] : 0.0f;
    return warp_sum(v);
}

__device__ __forceinline__ double block_sum_double(double v, double* scratch) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = warp_sum_double(v);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = lane < warps ? scratch[lane] : 0.0;
    return warp_sum_double(v);
}

__device__ __forceinline__ float block_max(float v, float* scratch) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = warp_max(v);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = lane < warps ? scratch[lane] : -EMMA4J_INF;
    return warp_max(v);
}

// Dynamic shared memory of a kernel. A macro so that the host emulation used by emma4j-native's tests
// (src/test/emulation) can map it to a plain array.
#ifndef EMMA4J_DYNAMIC_SHARED
#define EMMA4J_DYNAMIC_SHARED extern __shared__
#endif

// Index checks write the first bad position here; kernels that use the indices do nothing once it is set.
#define EMMA4J_NO_BAD_INDEX 0xFFFFFFFFFFFFFFFFull
