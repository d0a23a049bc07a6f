// A host emulation of the part of CUDA that emma4j's kernels use, so that their logic can be checked on
// machines without a GPU (KernelEmulationTest compiles native/src/main/cuda with g++ against this header).
// Each CUDA thread of a block is a std::thread; blocks run one after another, so block-level __shared__
// arrays become function statics. __syncthreads and warp shuffles are barriers; atomics take a mutex.
// It checks logic (indexing, masking, reductions, synchronisation), not GPU rounding or speed.
#pragma once
#define EMMA4J_DYNAMIC_SHARED extern
#include <cmath>
#include <cstring>
#include <cstdint>
#include <barrier>
#include <mutex>
#include <thread>
#include <vector>
#include <functional>
#include <memory>
typedef _Float16 __half;
inline float __half2float(__half h) { return (float) h; }
inline __half __float2half_rn(float f) { return (__half) f; }
inline float __uint_as_float(unsigned int u) { float f; std::memcpy(&f, &u, 4); return f; }
inline unsigned int __float_as_uint(float f) { unsigned int u; std::memcpy(&u, &f, 4); return u; }
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(x)
#define __shared__ static
struct dim3 { unsigned x = 1, y = 1, z = 1; };
extern thread_local dim3 threadIdx, blockIdx;
extern dim3 blockDim, gridDim;
extern float smem[];
template <class A, class B> inline auto min(A a, B b) { return a < b ? a : b; }
template <class A, class B> inline auto max(A a, B b) { return a > b ? a : b; }
namespace emu {
    struct Warp { std::unique_ptr<std::barrier<>> bar; double slot[32]; };
    extern std::unique_ptr<std::barrier<>> block_bar;
    extern std::vector<Warp> warps;
    extern std::mutex atomic_mutex;
    template <class T> T exchange(T v, int src) {
        Warp& w = warps[threadIdx.x / 32];
        int lane = threadIdx.x % 32;
        w.slot[lane] = (double) v;
        w.bar->arrive_and_wait();
        T r = (T) w.slot[src & 31];
        w.bar->arrive_and_wait();
        return r;
    }
}
inline void __syncthreads() { emu::block_bar->arrive_and_wait(); }
inline void __syncwarp() { emu::warps[threadIdx.x / 32].bar->arrive_and_wait(); }
inline float __shfl_sync(unsigned, float v, int src) { return emu::exchange(v, src); }
inline float __shfl_xor_sync(unsigned, float v, int m) { return emu::exchange(v, (int) (threadIdx.x % 32) ^ m); }
inline double __shfl_xor_sync(unsigned, double v, int m) { return emu::exchange(v, (int) (threadIdx.x % 32) ^ m); }
inline float atomicAdd(float* p, float v) { std::lock_guard<std::mutex> g(emu::atomic_mutex); float o = *p; *p = o + v; return o; }
inline unsigned long long atomicMin(unsigned long long* p, unsigned long long v) {
    std::lock_guard<std::mutex> g(emu::atomic_mutex); unsigned long long o = *p; if (v < o) *p = v; return o;
}
template <class F, class... Args> void launch(F f, unsigned gx, unsigned gy, unsigned block, Args... args) {
    gridDim = {gx, gy, 1};
    blockDim = {block, 1, 1};
    for (unsigned by = 0; by < gy; by++) for (unsigned bx = 0; bx < gx; bx++) {
        emu::block_bar = std::make_unique<std::barrier<>>(block);
        emu::warps.clear();
        emu::warps.resize((block + 31) / 32);
        for (auto& w : emu::warps) w.bar = std::make_unique<std::barrier<>>(32);
        std::vector<std::thread> ts;
        for (unsigned t = 0; t < block; t++) ts.emplace_back([&, t, bx, by] {
            threadIdx = {t, 0, 0};
            blockIdx = {bx, by, 0};
            f(args...);
            emu::warps[t / 32].bar->arrive_and_drop();
            emu::block_bar->arrive_and_drop();
        });
        for (auto& th : ts) th.join();
    }
}
