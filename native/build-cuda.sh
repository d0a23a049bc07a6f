#!/usr/bin/env bash
# Compiles native/src/main/cuda/emma4j_kernels.cu (which includes the other .cu files, so that
# the whole library is one translation unit) into one fatbin (sm_80, sm_90 and PTX for later GPUs),
# written to the jar's resources as emma4j_kernels.fatbin. Without nvcc the build still succeeds
# and says so: the CUDA backend then reports that its kernels are missing.
set -euo pipefail
out_dir="$1"
src_dir="$(dirname "$0")/src/main/cuda"
NVCC="${NVCC:-$(command -v nvcc || true)}"
shopt -s nullglob
all_sources=("$src_dir"/*.cu "$src_dir"/*.cuh)
main="$src_dir/emma4j_kernels.cu"
mkdir -p "$out_dir"
# emma4j_kernels.status tells the tests (and the CUDA backend's error messages) whether the fatbin was built.
status="$out_dir/emma4j_kernels.status"
if [ -z "$NVCC" ]; then
  echo "[emma4j-native] nvcc not found: CUDA kernels were left out of this build (the CPU backend is unaffected)."
  rm -f "$out_dir/emma4j_kernels.fatbin"
  echo "skipped: nvcc was not found when emma4j-native was built" > "$status"
  exit 0
fi
if [ ! -f "$main" ]; then
  echo "[emma4j-native] no $main: nothing to compile."
  echo "skipped: $main does not exist" > "$status"
  exit 0
fi
fatbin="$out_dir/emma4j_kernels.fatbin"
stale=0
[ -f "$fatbin" ] || stale=1
for s in "${all_sources[@]}"; do
  [ "$s" -nt "$fatbin" ] && stale=1
done
[ -f "$status" ] || stale=1
if [ $stale -eq 0 ]; then
  echo "[emma4j-native] $fatbin is up to date."
  exit 0
fi
echo "[emma4j-native] compiling ${#all_sources[@]} CUDA source file(s) with $NVCC"
tmp="$out_dir/.fatbin.tmp"
"$NVCC" --fatbin -O3 -std=c++17 \
  -gencode arch=compute_80,code=sm_80 \
  -gencode arch=compute_90,code=sm_90 \
  -gencode arch=compute_90,code=compute_90 \
  -o "$tmp" "$main"
mv -f "$tmp" "$fatbin"
echo "built: $("$NVCC" --version | tail -n 1)" > "$status"
echo "[emma4j-native] wrote $fatbin ($(stat -c %s "$fatbin") bytes)"
