/**
 * The CUDA backend: {@link org.emma4j.kernels.cuda.CudaBackend} runs every op of
 * {@link org.emma4j.kernels.Backend} on device memory through the FFM bindings of emma4j-bindings (driver
 * API and cuBLAS) and the kernels of emma4j-native's fatbin. One small class per op family, as in the CPU backend.
 */
package org.emma4j.kernels.cuda;
