#!/usr/bin/env bash
# On the GPU machine: the release path's figures per step (docs/benchmarks.md, "Release path") for
# a random-init 7B or 14B. Re-entrant: bench_release.py reuses what earlier calls left in
# /root/rel-<arch> while the machine is held, so one run splits over several <=10-minute calls and
# each call prints the table of every step recorded so far (also copied to OUT/release-<arch>.json).
#   bash bench/gpu/release_gpu.sh 7b build,merge,reference .llsrc/llama_cpp_python-0.3.36.tar.gz .whlrel $OUT
#   bash bench/gpu/release_gpu.sh 7b convert,quantize,verify,serve .llsrc/llama_cpp_python-0.3.36.tar.gz .whlrel $OUT
# Disk (64 GB) with --free-disk: 7b stays on disk (peak 30.4 GB: base + merged); 14b puts the base
# and the BF16 GGUF on /dev/shm (tmpfs = RAM; peaks 29.5 GB on disk and 29.5 GB in /dev/shm,
# /dev/shm is grown to 40 GB when smaller). The converter and quantize/verify/serve need the
# llama-cpp-python CUDA build (bench/gpu/llama_cuda.sh, from the slim sdist): a call with those
# steps starts it, waits up to WAIT seconds (default 450; exit 3 = still building, call again)
# and installs it. Start it in a call of its own (STEPS=none) so that no timed step shares the CPU
# with the build; every step records the load average it ran at.
set -uo pipefail
arch=${1:?7b|14b} steps=${2:?steps or none} sdist=${3:?slim sdist} wheels=${4:?wheel folder} out=${5:?output folder}
export PYTHONPATH=$HOME/site PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1
python3 -c "import frontmatter, jsonschema, pydantic" 2> /dev/null \
  || python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target "$HOME/site" "$wheels"/*.whl || exit 1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
df -h / /dev/shm | tail -n +2
place=()
if [ "$arch" = 14b ]; then
  [ "$(df --output=size -B1G /dev/shm | tail -1)" -ge 40 ] || mount -o remount,size=40G /dev/shm || exit 1
  place=(--base-dir /dev/shm/rel-14b-base --gguf16-dir /dev/shm)
fi
if [ "$steps" = none ] || [[ $steps =~ convert|quantize|verify|serve ]]; then
  if ! python3 -c "import llama_cpp" 2> /dev/null; then
    bash bench/gpu/llama_cuda.sh start "$sdist" || exit 1
    [ "$steps" = none ] && exit 0
    bash bench/gpu/llama_cuda.sh wait "${WAIT:-450}" || exit $?
    bash bench/gpu/llama_cuda.sh install || exit 1
  fi
  python3 -c "import sys; from pathlib import Path; from train.release import converter
try: converter.locate(None)
except Exception: converter.fetch(Path(sys.argv[1]))" "$sdist" || exit 1
  # quantize reads the file type with gguf-py (the converter's own copy: the image has no gguf)
  PYTHONPATH=$HOME/site:$(ls -d "$HOME"/.cache/bbj-coder-toolkit/llama.cpp-*/gguf-py | head -1)
fi
[ "$steps" = none ] && exit 0
python3 bench/bench_release.py --arch "$arch" --work "/root/rel-$arch" "${place[@]}" --free-disk --steps "$steps"
status=$?
mkdir -p "$out" && cp "/root/rel-$arch/bench-release.json" "$out/release-$arch.json"
exit $status
