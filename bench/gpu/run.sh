#!/usr/bin/env bash
# One device call (carry [".whl"]): install the wheels, then bench_train.py per stage/backend/arch
# while the call's time lasts. Results and logs land under $OUT.
#   run(command="bash bench/gpu/run.sh", carry=[".whl"], timeout_s=600)
# Environment: BUDGET (seconds, default 550), ARCHES (default "1.5b 7b"), BACKENDS (default
# "unsloth hf"), STAGES (default "cpt,sft"), EXTRA (more bench_train.py flags).
set -u
START=$(date +%s); BUDGET=${BUDGET:-550}
left() { echo $(( BUDGET - ($(date +%s) - START) )); }
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1 UNSLOTH_DISABLE_STATISTICS=1
LOG=$OUT/main.log
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl >>"$LOG" 2>&1 \
  || { echo "pip failed"; tail -20 "$LOG"; exit 1; }
export PYTHONPATH=/tmp/site
nvidia-smi --query-gpu=name,memory.total --format=csv >>"$LOG" 2>&1
for arch in ${ARCHES:-1.5b 7b}; do
  for backend in ${BACKENDS:-unsloth hf}; do
    [ "$(left)" -gt 120 ] || break 2
    echo "== [$(left)s left] $arch $backend" | tee -a "$LOG"
    timeout $(( $(left) - 20 )) python3 bench/bench_train.py --arch "$arch" --backends "$backend" \
      --stages "${STAGES:-cpt,sft}" --logging-steps 5 --steps 25 --warmup 5 --log-dir "$OUT/logs" ${EXTRA:-} >>"$LOG" 2>&1
    echo "rc $?" >>"$LOG"
  done
done
echo "== done, $(left)s left" | tee -a "$LOG"
grep -E '^\{"arch"|^\|' "$LOG"
