"""Training throughput through `bbj-train run` itself (not a hand-written loop): both stages, each
backend, on a random-init model of the EXACT Qwen2.5-Coder architecture (no download needed).

    python bench/bench_train.py --arch 1.5b --backends hf,unsloth --steps 30      # GPU
    python bench/bench_train.py --arch tiny --backends hf --steps 6 --seq 256     # CPU smoke test

Per (arch, backend, stage): median tokens/s over the steps after --warmup (real tokens only; eval
and checkpoint time excluded), peak GPU memory, non-padding share of the processed tokens, row fill
(real tokens / rows x seq), loss finite, the ratio to the raw-loop reference of ../shared/gpu
(hf 7,077 tok/s at 21.9 GiB; Unsloth 23,534 tok/s at 2.8 GiB; 1.5B, seq 2048, micro-batch 4, r32),
MFU = 4 x parameters x tokens/s / measured bf16 matmul peak (model FLOPs of QLoRA with a frozen base:
forward 2N, activation gradients 2N, no weight gradients of the base; attention and the adapter's
own FLOPs left out) and HFU = 6N (the forward recomputed by gradient checkpointing added).
Micro-batch 4 and gradient accumulation 1 match the reference loop step for step (small_scale = true
allows that batch).

    python bench/bench_train.py --arch 14b --release-config configs/qwen2.5-coder-14b.toml --seq 2048

takes the release config as it is (adapter, quantization, micro-batch, learning rates, packing) and
replaces only the model (random init of the architecture), the data (synthetic), the steps and the
gradient accumulation (1: peak memory and tokens/s per micro-batch do not depend on it)."""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


from benchlib import machine, table

ARCHES = {
    "1.5b": {"hidden_size": 1536, "intermediate_size": 8960, "num_hidden_layers": 28, "num_attention_heads": 12,
             "num_key_value_heads": 2, "tie_word_embeddings": True},
    "7b": {"hidden_size": 3584, "intermediate_size": 18944, "num_hidden_layers": 28, "num_attention_heads": 28,
           "num_key_value_heads": 4, "tie_word_embeddings": False},
    "14b": {"hidden_size": 5120, "intermediate_size": 13824, "num_hidden_layers": 48, "num_attention_heads": 40,
            "num_key_value_heads": 8, "tie_word_embeddings": False},
}  # fmt: skip
RAW = {"hf": (7077, 21.9), "unsloth": (23534, 2.8)}  # ../shared/gpu/README.md, 1.5B
STATEMENTS = [
    'PRINT "total: ", total', "total = total + price * qty", 'name$ = "customer" + str(id)',
    "FOR i = 1 TO count", "NEXT i", 'IF total > 100 THEN PRINT "discount"', 'OPEN (1)"orders.dat"',
    "READ RECORD (1, KEY=key$) order$", "CLOSE (1)", 'window! = sysgui!.addWindow(100, 100, 400, 300, "Orders")',
    'button! = window!.addButton(101, 20, 20, 90, 25, "OK")', "process_events", "REM next order",
]  # fmt: skip


def build_model(arch: str, folder: Path) -> int:
    """Random-init model of the architecture + an offline tokenizer; returns the parameter count."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from train.tiny_model import TinyShape, build_tiny_model, build_tokenizer

    marker = folder / "bench-model.json"
    if marker.exists():
        return json.loads(marker.read_text())["parameters"]
    if arch == "tiny":
        corpus = folder.parent / "tokenizer-corpus.txt"
        corpus.write_text("\n".join(program(random.Random(i), 40) for i in range(200)))
        card = build_tiny_model(folder, [corpus], vocab_size=2048, shape=TinyShape(max_position_embeddings=4096))
        parameters = int(card["parameters"])
    else:
        tokenizer = build_tokenizer([program(random.Random(i), 40) for i in range(400)], vocab_size=2048)
        shape = {"vocab_size": 151936, **ARCHES[arch]}
        config = Qwen2Config(max_position_embeddings=32768, rope_theta=1e6, rms_norm_eps=1e-6,
                             eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
                             bos_token_id=None, **shape)  # fmt: skip
        torch.manual_seed(0)
        device = "cuda" if torch.cuda.is_available() else "cpu"
        with torch.device(device):  # initialised in bf16: a 14B model in fp32 would need 59 GB
            model = Qwen2ForCausalLM._from_config(config, dtype=torch.bfloat16)
        parameters = sum(p.numel() for p in model.parameters())
        model.save_pretrained(folder, safe_serialization=True)
        tokenizer.save_pretrained(folder)
        del model
        if device == "cuda":
            torch.cuda.empty_cache()
    marker.write_text(json.dumps({"arch": arch, "parameters": parameters}))
    return parameters


def program(rng: random.Random, lines: int) -> str:
    return "\n".join(rng.choice(STATEMENTS) for _ in range(lines))


def write_data(folder: Path, tokenizer_dir: Path, seq: int, rows: int) -> None:
    """Corpus for `rows` full Stage 1 rows, conversations for about 1.6 x `rows` x seq Stage 2 tokens
    (enough length-grouped micro-batches for the steps), and small validation sets. Reply lengths
    are log-normal around 60 lines (~600 tokens; 5-95 % about 160-2,200), as real ones vary."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    rng = random.Random(1)
    per_line = max(1, len(tokenizer(program(rng, 200))["input_ids"]) // 200)
    (folder / "corpus").mkdir(parents=True, exist_ok=True)
    (folder / "split").mkdir(parents=True, exist_ok=True)
    target = int(rows * seq * 1.1)
    with (folder / "corpus" / "corpus.jsonl").open("w") as handle:
        written = 0
        while written < target:
            lines = rng.randint(20, 400)
            handle.write(json.dumps({"text": program(rng, lines), "meta": {}}) + "\n")
            written += lines * per_line
    for name, share in (("train", 1.6), ("validation", 0.03)):
        with (folder / "split" / f"{name}.jsonl").open("w") as handle:
            written = 0
            while written < rows * seq * share:
                lines = max(2, min(int(rng.lognormvariate(math.log(60), 0.8)), (seq - 80) // (per_line + 1)))
                messages = [{"role": "system", "content": "You are an expert BBj programmer."},
                            {"role": "user", "content": f"Write {lines} lines of order handling."},
                            {"role": "assistant", "content": "```bbj\n" + program(rng, lines) + "\n```"}]  # fmt: skip
                handle.write(json.dumps({"messages": messages, "meta": {}}) + "\n")
                written += lines * per_line + 40


def config_toml(name: str, model: Path, data: Path, out: Path, backend: str, seq: int, micro: int, rank: int,
                steps: int, stages: list[str], packing: str, logging: int) -> str:  # fmt: skip
    stage = (f"learning_rate = {{lr}}\nmax_steps = {steps}\nmicro_batch_size = {micro}\ngradient_accumulation = 1\n"
             f"eval_steps = {steps}\nlogging_steps = {logging}\n")  # fmt: skip
    return (
        f'name = "{name}"\nbase_model = "{model}"\nbackend = "{backend}"\noutput_dir = "{out}"\n'
        f"max_seq_len = {seq}\nsmall_scale = true\nstages = {json.dumps(stages)}\n"
        f'\n[data]\ncorpus = "{data}/corpus/corpus.jsonl"\nsplit_dir = "{data}/split"\n'
        f"\n[lora]\nr = {rank}\ndropout = 0.0\n"
        f"\n[cpt]\n{stage.format(lr=5e-5)}validation_share = 0.01\n\n[sft]\n{stage.format(lr=2e-4)}packing = {packing}\n"
    )


def release_toml(release: Path, name: str, model: Path, data: Path, out: Path, seq: int | None, steps: int,
                 stages: list[str], logging: int) -> str:  # fmt: skip
    """The release config with only model, data, output, steps and gradient accumulation replaced."""
    import tomllib

    config = tomllib.loads(release.read_text())
    config.update(name=name, base_model=str(model), output_dir=str(out), stages=stages, small_scale=True)
    if seq:
        config["max_seq_len"] = seq
    config["data"] = {"corpus": f"{data}/corpus/corpus.jsonl", "split_dir": f"{data}/split"}
    for stage in ("cpt", "sft"):
        config[stage].update(max_steps=steps, gradient_accumulation=1, eval_steps=steps, logging_steps=logging)
    return dump_toml(config)


def dump_toml(config: dict) -> str:
    """Enough TOML for run configs: scalars and lists at the top, then one table per dict."""

    def value(item: object) -> str:
        return json.dumps(item) if not isinstance(item, bool) else str(item).lower()

    top = [f"{key} = {value(item)}" for key, item in config.items() if not isinstance(item, dict)]
    tables = [f"\n[{key}]\n" + "\n".join(f"{k} = {value(v)}" for k, v in item.items())
              for key, item in config.items() if isinstance(item, dict)]  # fmt: skip
    return "\n".join(top) + "\n" + "\n".join(tables) + "\n"


def summarize(run: Path, warmup: int) -> dict[str, dict]:
    rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    result = {}
    for stage in ("cpt", "sft"):
        steps = [r for r in rows if r["stage"] == stage and r["kind"] == "step"]
        if not steps:
            continue
        timed = steps[warmup:] or steps
        losses = [r["loss"] for r in rows if r["stage"] == stage and r["kind"] == "train"]
        summary = json.loads((run / stage / "stage.json").read_text())
        grouping = summary.get("data", {}).get("grouping", {}).get("train")
        result[stage] = {
            "tokens_per_s": statistics.median(r["tokens_per_s"] for r in timed),
            "peak_gib": max((r.get("peak_gpu_gib") or 0.0) for r in steps),
            "peak_reserved_gib": max((r.get("peak_reserved_gib") or 0.0) for r in steps),
            "non_padding": sum(r["tokens"] for r in timed) / sum(r["slot_tokens"] for r in timed),
            "row_fill": summary["row_fill"],
            "loss_finite": bool(losses) and all(math.isfinite(x) for x in losses),
            "loss_first_last": (losses[0], losses[-1]) if losses else None,
            "timed_steps": len(timed),
        }
        if grouping:  # Stage 2, packing on: length-grouped micro-batches over the whole train split
            result[stage]["grouping"] = grouping
    return result


def installed_versions() -> dict[str, str]:
    """Library versions of the run (the run folder's own list), so a docs row says what it measured."""
    from train.training.rundir import library_versions

    return {name: version for name, version in library_versions().items() if version}


def bf16_peak_tflops() -> float | None:
    import torch

    if not torch.cuda.is_available():
        return None
    a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    times = []
    for index in range(13):
        torch.cuda.synchronize()
        start = time.perf_counter()
        a @ b
        torch.cuda.synchronize()
        if index >= 3:
            times.append(time.perf_counter() - start)
    return 2 * 8192**3 / statistics.median(times) / 1e12


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", default="1.5b", help="comma list of " + ", ".join(["tiny", *ARCHES]))
    parser.add_argument("--backends", default="hf,unsloth")
    parser.add_argument("--stages", default="cpt,sft")
    parser.add_argument("--steps", type=int, default=30, help="timed optimizer steps per stage (after warm-up)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seq", type=int, default=None, help="default 2048, or the release config's max_seq_len")
    parser.add_argument("--micro-batch", type=int, default=4)
    parser.add_argument("--rank", type=int, default=32)
    parser.add_argument("--logging-steps", type=int, default=1, help="loss logged every N steps (each log syncs)")
    parser.add_argument("--sft-packing", choices=["on", "off"], default="on", help="Stage 2 packing")
    parser.add_argument("--sft-bucket", type=int, default=0, help="Stage 2 length_bucket (0: exact longest row)")
    parser.add_argument("--release-config", type=Path, help="take this config as it is but for model, data and steps")
    parser.add_argument("--prepare-only", action="store_true", help="build the models and data, train nothing")
    parser.add_argument("--label", default="", help="names this variant in the results (e.g. an env setting)")
    parser.add_argument("--work", type=Path, default=ROOT / ".bench" / "train")
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--log-dir", type=Path, help="copy each run's stderr here")
    args = parser.parse_args()
    stages = args.stages.split(",")
    total_steps = args.steps + args.warmup
    peak = bf16_peak_tflops()
    results = []
    for arch in args.arch.split(","):
        model_dir = args.work / f"model-{arch}"
        model_dir.mkdir(parents=True, exist_ok=True)
        parameters = build_model(arch, model_dir)
        seq = args.seq or 2048
        micro = args.micro_batch
        if args.release_config:
            import tomllib

            release = tomllib.loads(args.release_config.read_text())
            seq = args.seq or release["max_seq_len"]
            micro = release["sft"]["micro_batch_size"]
        data = args.work / f"data-{arch}-{seq}"
        if not (data / "split" / "train.jsonl").exists():
            write_data(data, model_dir, seq, total_steps * micro + 8)
        if args.prepare_only:
            print(json.dumps({"arch": arch, "parameters": parameters, "data": str(data)}), flush=True)
            continue
        for backend in args.backends.split(","):
            out = args.work / "runs" / f"{arch}-{backend}-{int(time.time())}"
            config = out.parent / f"{out.name}.toml"
            config.parent.mkdir(parents=True, exist_ok=True)
            if args.release_config:
                text = release_toml(args.release_config, f"bench-{arch}-{backend}", model_dir, data, out, seq,
                                    total_steps, stages, args.logging_steps)  # fmt: skip
                text = text.replace('backend = "auto"', f'backend = "{backend}"')
            else:
                text = config_toml(f"bench-{arch}-{backend}", model_dir, data, out, backend, seq, micro, args.rank,
                                   total_steps, stages, "true" if args.sft_packing == "on" else "false",
                                   args.logging_steps) + f"length_bucket = {args.sft_bucket}\n"  # fmt: skip
            config.write_text(text)
            command = [sys.executable, "-m", "train.cli", "run", "--config", str(config)]
            started = time.perf_counter()
            done = subprocess.run(command, check=False, cwd=ROOT, capture_output=True, text=True,
                                  env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})  # fmt: skip
            wall = time.perf_counter() - started
            if args.log_dir:
                args.log_dir.mkdir(parents=True, exist_ok=True)
                (args.log_dir / f"{arch}-{backend}.log").write_text(done.stdout + done.stderr)
            entry = {"arch": arch, "backend": backend, "label": args.label, "seq": seq, "micro_batch": micro,
                     "release_config": str(args.release_config or ""), "sft_bucket": args.sft_bucket,
                     "parameters": parameters, "rc": done.returncode, "wall_s": round(wall, 1),
                     "command": " ".join(command), "versions": installed_versions()}  # fmt: skip
            runs = list(out.glob("*/metrics.jsonl")) if out.exists() else []
            if done.returncode == 0 and runs:
                entry["stages"] = summarize(runs[0].parent, args.warmup)
            else:
                entry["error"] = (done.stderr or done.stdout)[-2500:]
            results.append(entry)
            print(json.dumps(entry), flush=True)
    report(results, peak, args)
    if args.json:
        args.json.write_text(json.dumps({"peak_bf16_tflops": peak, "results": results}, indent=2))
    return 0 if all(r["rc"] == 0 for r in results) else 1


def report(results: list[dict], peak: float | None, args: argparse.Namespace) -> None:
    try:
        import torch

        device = torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU"
    except ImportError:
        device = "?"
    rows = []
    for entry in results:
        for stage, s in entry.get("stages", {}).items():
            raw = RAW.get(entry["backend"]) if entry["arch"] == "1.5b" else None
            mfu = 4 * entry["parameters"] * s["tokens_per_s"] / (peak * 1e12) if peak else None
            hfu = 1.5 * mfu if mfu is not None else None
            rows.append((entry["arch"], f"{entry['backend']} {entry['label']}".strip(), stage, f"{s['tokens_per_s']:,.0f}",
                         f"{s['tokens_per_s'] / raw[0]:.2f}" if raw else "-", f"{s['peak_gib']:.1f} / {s['peak_reserved_gib']:.1f}",
                         f"{s['non_padding']:.1%}", f"{s['row_fill']:.1%}", "yes" if s["loss_finite"] else "NO",
                         f"{mfu:.1%}" if mfu is not None else "-", f"{hfu:.1%}" if hfu is not None else "-"))  # fmt: skip
        if "error" in entry:
            rows.append((entry["arch"], entry["backend"], "FAILED", "-", "-", "-", "-", "-", "-", "-", "-"))
    print(f"\nmachine: {machine()}; device: {device}; bf16 matmul peak: {peak and round(peak)} TFLOP/s")
    print(
        f"seq {args.seq or 'release or 2048'}, micro-batch {args.micro_batch}, r{args.rank}, Stage 2 packing {args.sft_packing}, median of {args.steps} steps after {args.warmup} warm-up"
    )
    print(table(rows, ("arch", "backend", "stage", "tokens/s", "vs raw", "peak GiB (alloc / reserved)", "non-padding", "row fill",
                       "loss finite", "MFU (4N)", "HFU (6N)")))  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
