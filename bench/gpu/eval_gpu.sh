#!/usr/bin/env bash
# On the GPU machine: the eval's GPU figures (docs/benchmarks.md, "Evaluation on a GPU"). Re-entrant:
# every step skips what an earlier call on the same held machine finished, so the CUDA build of
# llama-cpp-python (minutes) can span two device calls.
#   bash bench/gpu/eval_gpu.sh .llsrc/llama_cpp_python-0.3.36.tar.gz .whlrel $OUT/eval_gpu.json
# .whlrel holds the project's light dependencies missing from the image (python-frontmatter,
# jsonschema and its deps, datasketch, rapidfuzz, pydantic, diskcache) as cp312 wheels.
set -uo pipefail
sdist=${1:?slim sdist} wheels=${2:?wheel folder} out=${3:?json output}
export PYTHONPATH=$HOME/site PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1
bash bench/gpu/llama_cuda.sh start "$sdist" || exit 1
python3 -c "import frontmatter, jsonschema, pydantic, datasketch" 2> /dev/null \
  || python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target "$HOME/site" "$wheels"/*.whl || exit 1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
[ -f /root/m15/config.json ] || python3 bench/bench_eval_gpu.py --make-random /root/m15 || exit 1
bash bench/gpu/llama_cuda.sh wait "${WAIT:-450}" || exit $?
python3 -c "import llama_cpp" 2> /dev/null || bash bench/gpu/llama_cuda.sh install || exit 1
if [ ! -f /root/m15.gguf ]; then
  python3 -c "import sys; from pathlib import Path; from train.release import converter; converter.fetch(Path(sys.argv[1]))" "$sdist" || exit 1
  python3 bench/bench_eval_gpu.py --convert /root/m15 /root/m15.gguf || exit 1
fi
python3 bench/bench_eval_gpu.py --model /root/m15 --gguf /root/m15.gguf --json "$out"
