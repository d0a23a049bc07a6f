#!/usr/bin/env bash
# Builds .gpu-bundle/ (gitignored) for bench/gpu-check.sh on a GPU machine that has no JDK: a jlink'd Java
# runtime with only the modules emma4j's jars need (found by jdeps), the jars and their dependencies, the
# kernels' test jar and the bindings' test classes with the JUnit console launcher (to run the CUDA op tests
# without Maven), and bench/gpu/hf_parity.py. Carry the folder along (the device tool's `carry`, 64 MiB at
# most) and run bench/gpu-check.sh there.
#   bench/make-gpu-bundle.sh            build with Maven (tests skipped), then bundle
#   bench/make-gpu-bundle.sh --no-build bundle what target/ folders already hold
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/.gpu-bundle"
JUNIT_CONSOLE_VERSION=1.14.1   # the JUnit Platform of junit-jupiter 5.14.1 (pom.xml)
die() { echo "make-gpu-bundle: $*" >&2; exit 1; }

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/jlink" ]; then
  for c in /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    if [ -x "$c/bin/jlink" ] && "$c/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then JAVA_HOME="$c"; break; fi
  done
fi
[ -x "${JAVA_HOME:-}/bin/jlink" ] || die "no JDK 25+ with jlink found; set JAVA_HOME"
export JAVA_HOME
echo "make-gpu-bundle: JDK $JAVA_HOME"

if [ "${1:-}" != "--no-build" ]; then
  (cd "$ROOT" && mvn -B -q -ntp -DskipTests package) || die "the Maven build failed"
fi
jar_of() { # module [classifier]
  local f
  f="$(ls "$ROOT/$1"/target/emma4j-"$1"-*"${2:-}".jar 2>/dev/null | grep -v -e '-sources' | { if [ -z "${2:-}" ]; then grep -v -e '-tests'; else cat; fi; } | head -n 1)"
  [ -n "$f" ] || die "no $1${2:+ $2} jar under $1/target; build first"
  echo "$f"
}
[ -f "$ROOT/native/target/classes/org/emma4j/cuda/emma4j_kernels.fatbin" ] \
  || die "the emma4j-native build has no CUDA fatbin ($(cat "$ROOT/native/target/classes/org/emma4j/cuda/emma4j_kernels.status" 2>/dev/null || echo 'no status')); build on a machine with nvcc"

rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/test-lib" "$OUT/test-classes"
for m in bindings native kernels model bench; do cp "$(jar_of $m)" "$OUT/lib/"; done
# Only the dependencies the check's code paths load (checkpoints, configs, the CLI's option types); the chart,
# PDF, zstd and JMH libraries of other commands stay behind to keep the bundle under the carry limit.
tr ':' '\n' < "$ROOT/bench/target/runtime-classpath.txt" | grep '\.jar$' | grep -v '/org/emma4j/' \
  | grep -E '/(jackson-[a-z-]+|snakeyaml|picocli)-[0-9][^/]*\.jar$' | while read -r j; do cp "$j" "$OUT/lib/"; done
cp "$(jar_of kernels -tests)" "$OUT/test-lib/"
cp -r "$ROOT/bindings/target/test-classes/." "$OUT/test-classes/"
(cd "$ROOT" && mvn -B -q -ntp dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$JUNIT_CONSOLE_VERSION" \
  -DoutputDirectory="$OUT/test-lib") || die "could not fetch junit-platform-console-standalone $JUNIT_CONSOLE_VERSION"
cp "$ROOT/bench/gpu/hf_parity.py" "$OUT/"

# The JDK modules: what jdeps finds in the bundled jars, less java.desktop (only emma4j-model's charts for
# `compare` and Jackson's optional java.beans support use it; neither runs here: 15 MiB saved), plus the Vector
# API module and jdk.zipfs (the JUnit launcher scans test jars for --select-package through the "jar" file
# system, which jdeps cannot see).
MODULES="$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 25 \
  "$OUT"/lib/*.jar "$OUT"/test-lib/*.jar 2>/dev/null | tail -n 1)"
MODULES="$(echo "$MODULES,jdk.incubator.vector,jdk.zipfs" | tr ',' '\n' | grep -v -x 'java.desktop' | sort -u | paste -sd, -)"
echo "make-gpu-bundle: jlink --add-modules $MODULES"
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --output "$OUT/runtime" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 2>&1 | grep -v -i 'deprecated' || true
[ -x "$OUT/runtime/bin/java" ] || die "jlink produced no runtime"
{
  echo "emma4j GPU bundle"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) with $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"
  echo "modules: $MODULES"
  echo "fatbin: $(cat "$ROOT/native/target/classes/org/emma4j/cuda/emma4j_kernels.status")"
} > "$OUT/manifest.txt"
cat "$OUT/manifest.txt"
SIZE_MB=$(du -sm "$OUT" | cut -f1)
echo "make-gpu-bundle: $OUT holds ${SIZE_MB} MiB ($(du -sh "$OUT/runtime" | cut -f1) runtime, $(du -sh "$OUT/lib" | cut -f1) jars)"
[ "$SIZE_MB" -le 64 ] || echo "make-gpu-bundle: WARNING: more than the 64 MiB the device tool carries" >&2
