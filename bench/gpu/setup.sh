# Sourced at the start of each device call (see docs/training.md, "GPU machine"): installs one of
# the two carried wheel folders into $HOME/site, which stays while the machine is held (about 30 s
# idle), and sets the environment of every GPU benchmark. The image has torch, transformers, peft
# and accelerate; .whl1/ adds bitsandbytes, datasets, TRL and pydantic (the hf backend runs after
# it), .whl2/ adds Unsloth. Usage: source bench/gpu/setup.sh ../.whl1
wheels=${1:?wheel folder}
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$HOME/site" "$wheels"/*.whl \
  || { echo "pip install of $wheels failed"; return 1; }
export PYTHONPATH="$HOME/site" PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1 UNSLOTH_DISABLE_STATISTICS=1
python3 -c "import bitsandbytes, trl, pydantic" 2>/dev/null || { echo "wheels of step A are gone: the machine was given back; start again with .whl1"; return 1; }
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
