#!/usr/bin/env bash
# Here, before a GPU run: a slim copy of llama-cpp-python's sdist that fits a device carry (the
# full sdist is 76 MB, over the 64 MiB a call may carry). It drops what the library build and the
# converter never read: docs, vocab test models, tests, tools, examples, benches and the vendored
# git objects. Usage: bash bench/gpu/llama_slim_sdist.sh SDIST.tar.gz OUT_DIR
set -euo pipefail
sdist=${1:?sdist .tar.gz}
out=${2:?output folder}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$sdist" -C "$work"
root=$(basename "$(find "$work" -mindepth 1 -maxdepth 1 -type d)")
(cd "$work/$root" && rm -rf .git vendor/llama.cpp/{docs,models,tests,tools,examples,benches,pocs,media})
mkdir -p "$out"
tar -czf "$out/$root.tar.gz" -C "$work" "$root"
ls -l "$out/$root.tar.gz"
