// emma4j's CUDA kernels as one translation unit (build-cuda.sh compiles this file into
// emma4j_kernels.fatbin). Every kernel is extern "C" so the backend finds it by its plain name.
#include "elementwise.cu"
#include "rmsnorm.cu"
#include "rope.cu"
#include "swiglu.cu"
#include "embedding.cu"
#include "cross_entropy.cu"
#include "adamw.cu"
#include "attention.cu"
