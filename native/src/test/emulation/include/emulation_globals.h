// The emulation's global state; include from exactly one translation unit.
#pragma once
#include "cuda_fp16.h"
thread_local dim3 threadIdx, blockIdx;
dim3 blockDim, gridDim;
float smem[1 << 17];
namespace emu {
std::unique_ptr<std::barrier<>> block_bar;
std::vector<Warp> warps;
std::mutex atomic_mutex;
}
