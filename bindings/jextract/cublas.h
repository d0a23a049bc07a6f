/* One translation unit for jextract: the cuBLAS v2 API and cuBLASLt, both from NVIDIA's cuBLAS wheel. */
#include <cublas_v2.h>
#include <cublasLt.h>
