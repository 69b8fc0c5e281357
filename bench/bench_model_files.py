"""What the guarded model-folder reads (train/model_files.py) cost the export: its plan (every
check before a byte is written: adapter, base, shard headers, fingerprint, converter) and its
streamed merge, on a tiny model of the export tests' shape, each timed in a fresh process.

    python3 bench/bench_model_files.py --work /tmp/bench-model-files --runs 3

Run it once from the commit before the change (a detached worktree on PYTHONPATH) and once
after, on the same --work (the model is built once and reused): only APIs both sides have are
called; torch, safetensors and transformers are imported before the clock starts. Prints the
median and every run of wall and CPU time, in milliseconds."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import sys, time, shutil
from pathlib import Path
import safetensors.torch, torch, transformers  # imported before the clock starts: their import is not the checks
work = Path(sys.argv[1])
from train.release.export import ExportOptions, plan_export
from train.release.merge import merge_into
out = work / "out"
shutil.rmtree(out, ignore_errors=True)
start, cpu = time.perf_counter(), time.process_time()
plan = plan_export(ExportOptions(run=work / "run", base=str(work / "base"), out_root=out))
planned, planned_cpu = time.perf_counter(), time.process_time()
merge_into(plan.base.path, plan.adapter, out / "merged")
merged, merged_cpu = time.perf_counter(), time.process_time()
print((planned - start) * 1000, (planned_cpu - cpu) * 1000, (merged - planned) * 1000, (merged_cpu - planned_cpu) * 1000)
"""


def build(work: Path, hidden: int, layers: int) -> None:
    """A tiny Qwen2 base (bbj-train tiny-model's builder) and a random LoRA adapter on every
    linear layer, in a run folder the export's plan accepts."""
    from train.tiny_model import TinyShape, build_tiny_model

    corpus = work / "corpus.txt"
    corpus.write_text('PRINT "hello"\nFOR i = 1 TO 10\nNEXT i\n' * 50, "utf-8")
    base = work / "base"
    build_tiny_model(base, [corpus], vocab_size=768, shape=TinyShape(hidden_size=hidden, intermediate_size=2 * hidden, num_hidden_layers=layers))
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    peft = get_peft_model(model, LoraConfig(task_type="CAUSAL_LM", r=8, lora_alpha=16, target_modules=targets))
    run = work / "run"
    peft.save_pretrained(run / "adapter")
    (run / "run.json").write_text(json.dumps({"base_model": str(base)}), "utf-8")
    (run / "config.json").write_text(json.dumps({"name": "bench"}), "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hidden", type=int, default=512)
    parser.add_argument("--layers", type=int, default=4)
    args = parser.parse_args()
    if not (args.work / "run" / "run.json").is_file():
        args.work.mkdir(parents=True, exist_ok=True)
        build(args.work, args.hidden, args.layers)
    columns: dict[str, list[float]] = {"plan wall": [], "plan CPU": [], "merge wall": [], "merge CPU": []}
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, "-c", CHILD, str(args.work)], capture_output=True, text=True, check=True, cwd=args.work)
        for column, value in zip(columns.values(), map(float, done.stdout.split()[-4:]), strict=True):
            column.append(value)
        time.sleep(0.5)
    size = sum(p.stat().st_size for p in (args.work / "base").glob("*.safetensors"))
    print(f"base: {size / 1e6:.1f} MB of safetensors; {args.runs} runs")
    for name, values in columns.items():
        print(f"{name:10} median {statistics.median(values):8.1f} ms  runs {', '.join(f'{v:.1f}' for v in values)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
