#!/usr/bin/env bash
# The GPU check of issue 7, in one go (under 8 minutes: each stage has its own timeout), on a machine with an NVIDIA GPU, PyTorch and
# transformers but no JDK: run bench/make-gpu-bundle.sh on the build machine, carry .gpu-bundle/ along, then
#   bench/gpu-check.sh [--quick]
# It prints the probe, runs the CUDA op tests (the kernels' JUnit tests with only the CUDA backend under test,
# plus the bindings' tests), times GEMM, attention forward and backward, one training step of an 8B-shaped
# layer stack and 1B-shaped decoding, compares logits and gradients of a random checkpoint with transformers'
# LlamaForCausalLM, and ends with one table. Logs and the table go to .gpu-bundle/results/.
# Environment: PEAK_TFLOPS (dense bf16 peak, default 989 for an H200/H100 SXM), HBM_TBPS (default 4.8, H200).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="$ROOT/.gpu-bundle"
QUICK=""
[ "${1:-}" = "--quick" ] && QUICK="--quick"
JAVA="$B/runtime/bin/java"
[ -x "$JAVA" ] || { echo "gpu-check: no $JAVA; run bench/make-gpu-bundle.sh and carry .gpu-bundle" >&2; exit 1; }
RES="$B/results"
rm -rf "$RES"
mkdir -p "$RES"
TABLE="$RES/table.tsv"
: > "$TABLE"
START=$(date +%s)
row() { printf 'ROW\t%s\t%s\t%s\n' "$1" "$2" "$3" | tee -a "$TABLE" >/dev/null; }
collect() { grep '^ROW' "$1" >> "$TABLE" || true; }
elapsed() { echo $(( $(date +%s) - START )); }

echo "== gpu-check: $(cat "$B/manifest.txt" | head -n 2 | tail -n 1)"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>/dev/null | sed 's/^/== GPU: /' || true

# cuBLAS: the system's when the dynamic linker knows one, else the one PyTorch's wheels brought (nvidia-cublas).
FIND_CUBLAS='
import glob, os, site
dirs = site.getsitepackages() + [site.getusersitepackages()]
for d in dirs:
    for pattern in ("nvidia/cublas/lib/libcublas.so.*", "nvidia/cu13/lib/libcublas.so.*", "torch/lib/libcublas.so.*"):
        for f in sorted(glob.glob(os.path.join(d, pattern)), reverse=True):
            print(f)
'
if [ -z "${EMMA4J_CUBLAS_LIBRARY:-}" ] && ! ldconfig -p 2>/dev/null | grep -q 'libcublas\.so\.1[23] '; then
  for lib in $(python3 -c "$FIND_CUBLAS" 2>/dev/null) /usr/local/cuda/lib64/libcublas.so.13 /usr/local/cuda/lib64/libcublas.so.12; do
    if [ -f "$lib" ]; then export EMMA4J_CUBLAS_LIBRARY="$lib"; break; fi
  done
fi
echo "== cuBLAS: ${EMMA4J_CUBLAS_LIBRARY:-found by the dynamic linker}"

FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmx24g -XX:MaxDirectMemorySize=32g)
CP="$(ls "$B"/lib/*.jar | tr '\n' ':')"
TEST_CP="$CP$(ls "$B"/test-lib/emma4j-*.jar | tr '\n' ':')$B/test-classes"

# 1. The probe: nothing else makes sense without a usable GPU.
"$JAVA" "${FLAGS[@]}" -cp "$CP" org.emma4j.bench.gpu.GpuCheck probe > "$RES/probe.log" 2>&1
PROBE=$?
cat "$RES/probe.log"; collect "$RES/probe.log"
if [ $PROBE -ne 0 ]; then
  echo "gpu-check: no usable GPU, stopping (see above)" >&2
  column -t -s $'\t' "$TABLE" 2>/dev/null || cat "$TABLE"
  exit 2
fi

# 1b. The kernels: the shipped fatbin (CUDA 13 nvcc) needs a driver of CUDA 13; an older driver may refuse it,
# and then the kernels are compiled here with this machine's NVRTC (PyTorch's wheels bring it).
"$JAVA" "${FLAGS[@]}" -cp "$CP" org.emma4j.bench.gpu.GpuCheck kernels > "$RES/kernels.log" 2>&1
if [ $? -ne 0 ]; then
  cat "$RES/kernels.log"
  ARCH="sm_$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -n 1 | tr -d ' .')"
  echo "== the shipped kernels did not load; compiling them for $ARCH with NVRTC"
  if timeout 120 python3 "$ROOT/bench/gpu/nvrtc_compile.py" "$ROOT/native/src/main/cuda" "$RES/emma4j_kernels.cubin" --arch "$ARCH" \
       >> "$RES/kernels.log" 2>&1; then
    export EMMA4J_CUDA_KERNELS="$RES/emma4j_kernels.cubin"
    "$JAVA" "${FLAGS[@]}" -cp "$CP" org.emma4j.bench.gpu.GpuCheck kernels >> "$RES/kernels.log" 2>&1
  fi
fi
cat "$RES/kernels.log"; collect "$RES/kernels.log"
if ! grep -q $'^ROW\tCUDA kernels load and run\tOK' "$RES/kernels.log"; then
  echo "gpu-check: the CUDA kernels do not load or run (see above)" >&2
  column -t -s $'\t' <(cut -f2- "$TABLE") 2>/dev/null || cut -f2- "$TABLE"
  exit 3
fi

# 2. The CUDA op tests: every kernel test with only the CUDA backend under test (CPU tests have run on the build
# machine), the CUDA-only checks, and the bindings' tests against the real driver and cuBLAS.
echo "== CUDA op tests (elapsed $(elapsed) s)"
timeout 200 "$JAVA" "${FLAGS[@]}" -Demma4j.test.backends=cuda -jar "$B"/test-lib/junit-platform-console-standalone-*.jar execute \
  --class-path "$TEST_CP" --select-package org.emma4j.kernels --select-package org.emma4j.bindings \
  --disable-banner --details=summary --details-theme=ascii --reports-dir "$RES/junit" > "$RES/tests.log" 2>&1
TESTS=$?
grep -E 'tests (successful|failed|aborted|skipped)|MethodSource|=>|Exception|expected' "$RES/tests.log" | head -n 60
SUMMARY="$(grep -E '\[ *[0-9]+ tests (successful|failed|aborted) *\]' "$RES/tests.log" | tr -s ' ' | tr '\n' ' ')"
row "CUDA op tests (JUnit, CUDA backend only)" "$([ $TESTS -eq 0 ] && echo passed || echo "FAILED (exit $TESTS)")" "${SUMMARY:-see results/tests.log}"

# 3. Timings.
echo "== timings (elapsed $(elapsed) s)"
timeout 170 "$JAVA" "${FLAGS[@]}" -cp "$CP" org.emma4j.bench.gpu.GpuCheck bench $QUICK \
  --peak-tflops "${PEAK_TFLOPS:-989}" --hbm-tbps "${HBM_TBPS:-4.8}" > "$RES/bench.log" 2>&1
[ $? -eq 0 ] || row "timings" "FAILED or timed out" "see results/bench.log"
grep -v '^ROW' "$RES/bench.log" | tail -n 20; collect "$RES/bench.log"

# 4. Parity with transformers on a random checkpoint.
echo "== parity with transformers (elapsed $(elapsed) s)"
CKPT="$RES/hf-random"
OUTD="$RES/emma4j-parity"
if timeout 40 python3 "$B/hf_parity.py" make "$CKPT" > "$RES/parity.log" 2>&1 \
   && timeout 40 "$JAVA" "${FLAGS[@]}" -cp "$CP" org.emma4j.bench.gpu.GpuCheck parity "$CKPT" "$OUTD" --device cuda >> "$RES/parity.log" 2>&1; then
  timeout 40 python3 "$B/hf_parity.py" compare "$CKPT" "$OUTD" >> "$RES/parity.log" 2>&1 || true
else
  row "HF parity" "FAILED" "see results/parity.log"
fi
grep -v '^ROW' "$RES/parity.log" | tail -n 5; collect "$RES/parity.log"

echo
echo "== emma4j GPU check, $(elapsed) s"
column -t -s $'\t' <(cut -f2- "$TABLE") 2>/dev/null || cut -f2- "$TABLE"
