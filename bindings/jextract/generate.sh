#!/usr/bin/env bash
# Regenerates the jextract bindings under bindings/src/main/java/org/emma4j/bindings/{cuda,cublas}.
# Needs a jextract built from openjdk/jextract (see README.md; never kept in this repository), the CUDA
# headers (they come with nvcc) and the cuBLAS headers (NVIDIA's nvidia_cublas wheel, unzipped).
#   JEXTRACT=/tmp/jextract-build/jextract CUDA_INCLUDE=/usr/local/cuda-13.0/include \
#   CUBLAS_INCLUDE=/tmp/cublas-wheel/nvidia/cu13/include bindings/jextract/generate.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../src/main/java"
: "${JEXTRACT:?set JEXTRACT to the jextract launcher}"
: "${CUDA_INCLUDE:?set CUDA_INCLUDE to the directory holding cuda.h}"
: "${CUBLAS_INCLUDE:?set CUBLAS_INCLUDE to the directory holding cublas_v2.h and cublasLt.h}"
rm -rf "$out/org/emma4j/bindings/cuda" "$out/org/emma4j/bindings/cublas"
cd "$here"
"$JEXTRACT" -I "$CUDA_INCLUDE" -l :libcuda.so.1 \
  -t org.emma4j.bindings.cuda --header-class-name cuda_h --output "$out" \
  @cuda.args "$CUDA_INCLUDE/cuda.h" 2>&1 | { grep -v ': warning: Skipping ' || true; }
"$JEXTRACT" -I "$CUBLAS_INCLUDE" -I "$CUDA_INCLUDE" \
  -t org.emma4j.bindings.cublas --header-class-name cublas_h --output "$out" \
  @cublas.args cublas.h 2>&1 | { grep -v ': warning: Skipping ' || true; }
echo "generated:"; find "$out/org/emma4j/bindings/cuda" "$out/org/emma4j/bindings/cublas" -name '*.java' | sort
