"""GPU figures of the eval (run by hand on a GPU machine; plain `python3` with torch and
transformers, plus pydantic, pyyaml and python-frontmatter for the project's modules, and
llama-cpp-python for the llamacpp rows):

1. tokens/s of the `transformers` backend (bf16 on CUDA, batched) at several batch sizes;
2. tokens/s of the `llamacpp` backend on a GGUF of the same model (all layers offloaded when the
   llama-cpp-python build supports it; the table says whether it did);
3. wall time of a 100-case eval (greedy, the shipped benchmark, generation + scoring) per backend.

    python3 bench/bench_eval_gpu.py --make-random /tmp/qwen-1.5b     # random-init Qwen2.5-Coder-1.5B shape
    python3 bench/bench_eval_gpu.py --convert /tmp/qwen-1.5b /tmp/qwen-1.5b.gguf   # needs the cached converter
    python3 bench/bench_eval_gpu.py --model /tmp/qwen-1.5b --gguf /tmp/qwen-1.5b.gguf --json out.json

A random model rarely emits a stop token, so almost every completion runs to --max-tokens: the
figures measure decoding speed, not answer length. `--make-random` uses the project's own
offline tokenizer (a few thousand tokens), so the model has the 1.5B body (28 layers, hidden
1536, MLP 8960, 12 heads / 2 KV heads) without Qwen's 151k-token embedding (~1.3B parameters)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QWEN_1_5B = {"hidden_size": 1536, "num_hidden_layers": 28, "num_attention_heads": 12, "num_key_value_heads": 2,
             "intermediate_size": 8960, "max_position_embeddings": 32768}  # fmt: skip


def make_random(out: Path) -> None:
    from train.tiny_model import TinyShape, build_tiny_model, default_corpus

    build_tiny_model(out, default_corpus(ROOT), vocab_size=8192, shape=TinyShape(**QWEN_1_5B), initializer_range=0.02)
    print(f"random-init Qwen2.5-Coder-1.5B-shaped model -> {out}")


def convert(model: Path, gguf: Path) -> None:
    from train.release import converter
    from train.release.export import TINY_MODEL_CARD

    fallback_pre = "qwen2" if (model / TINY_MODEL_CARD).is_file() else None  # as `bbj-train export` does for the project's tokenizer
    converter.convert(converter.locate(None), model, gguf, "f16", fallback_pre, gguf.with_suffix(".log"))
    print(f"GGUF (f16) -> {gguf}")


def requests(cases: list[Any], max_tokens: int) -> list[Any]:
    from train.eval.client import ChatRequest, GenerationParams

    return [ChatRequest(case.messages, GenerationParams(max_tokens=max_tokens), 0) for case in cases]


def throughput(backend: Any, batch: list[Any]) -> tuple[float, int, float]:
    start = time.perf_counter()
    completions = backend.generate(batch)
    wall = time.perf_counter() - start
    tokens = sum(c.output_tokens or 0 for c in completions)
    return tokens / wall, tokens, wall


def eval_wall(backend: Any, cases: list[Any], max_tokens: int) -> dict[str, Any]:
    """A 100-case eval as `bbj-train eval` runs it (no cache): generation, then scoring."""
    from train.eval.aggregate import model_metrics
    from train.eval.cache import CompletionCache
    from train.eval.config import EvalConfig
    from train.eval.judge import Judge
    from train.eval.runner import run_model

    config = EvalConfig.model_validate(
        {"max_tokens": max_tokens, "samples": 0, "models": [{"name": "m", "backend": "openai", "base_url": "http://127.0.0.1:9/v1", "model": "m"}]}
    )
    start = time.perf_counter()
    run = run_model(config.models[0], backend, cases, config, Judge(), CompletionCache(None))
    wall = time.perf_counter() - start
    metrics = model_metrics(run.rows, [1], 0, 0)
    return {"cases": len(cases), "wall_s": round(wall, 2), "generation_s": round(run.generation_wall_s, 2), "compile@1": metrics["compile@1"]["value"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--make-random", type=Path, metavar="DIR")
    parser.add_argument("--convert", nargs=2, type=Path, metavar=("MODEL_DIR", "GGUF"))
    parser.add_argument("--model", type=Path)
    parser.add_argument("--gguf", type=Path)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--n-gpu-layers", type=int, default=-1)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--llamacpp-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.llamacpp_child:
        llamacpp_child(args.llamacpp_child, args.cases, args.max_tokens, args.n_gpu_layers)
        return
    if args.make_random:
        make_random(args.make_random)
    if args.convert:
        convert(*args.convert)
    if not args.model and not args.gguf:
        return
    cases = load_cases(args.cases)
    result: dict[str, Any] = {"device": gpu_name(), "max_tokens": args.max_tokens, "rows": []}
    if args.model:
        result.update(transformers_rows(args, cases))
    if args.gguf:
        result["rows"] += llamacpp_rows(args)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def load_cases(count: int) -> list[Any]:
    from train.eval.cases import load_case_file

    return load_case_file(ROOT / "benchmark" / "bbj-bench-v1.jsonl")[:count]


def gpu_name() -> str:
    try:
        done = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True, text=True, check=False)
    except OSError:
        return "cpu"
    return done.stdout.strip().splitlines()[0] if done.returncode == 0 and done.stdout.strip() else "cpu"


def transformers_rows(args: argparse.Namespace, cases: list[Any]) -> dict[str, Any]:
    import torch
    import transformers

    from train.eval.backends import TransformersBackend
    from train.eval.config import ModelSpec

    rows = []
    for size in args.batch_sizes:
        backend = TransformersBackend(ModelSpec(name="hf", backend="transformers", model=str(args.model), batch_size=size, load_in_4bit=False))
        backend.generate(requests(cases[:1], 8))  # load + warm up
        rate, tokens, wall = throughput(backend, requests(cases[: max(size, 8)], args.max_tokens))
        row = {"backend": "transformers", "batch": size, "tokens": tokens, "wall_s": round(wall, 2), "tokens_per_s": round(rate, 1)}
        if size == max(args.batch_sizes):
            row["eval"] = eval_wall(backend, cases, args.max_tokens)
        rows.append(row)
        print(row, flush=True)
        backend.close()
        torch.cuda.empty_cache() if torch.cuda.is_available() else None
    return {"torch": torch.__version__, "transformers": transformers.__version__, "rows": rows}


def llamacpp_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    """In a child process that never imports torch: on the GPU image (torch 2.11 cu130), loading a
    model with a CUDA build of llama-cpp-python in a process that had imported torch crashed
    (segfault, no message); each library alone works."""
    argv = [sys.executable, __file__, "--llamacpp-child", str(args.gguf), "--cases", str(args.cases),
            "--max-tokens", str(args.max_tokens), "--n-gpu-layers", str(args.n_gpu_layers)]  # fmt: skip
    done = subprocess.run(argv, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"llamacpp rows failed (exit {done.returncode})")
    return [json.loads(done.stdout.strip().splitlines()[-1])]


def llamacpp_child(gguf: Path, count: int, max_tokens: int, gpu_layers: int) -> None:
    import llama_cpp

    from train.eval.backends import LlamaCppBackend
    from train.eval.config import ModelSpec

    cases = load_cases(count)
    backend = LlamaCppBackend(ModelSpec(name="gguf", backend="llamacpp", gguf=str(gguf), n_gpu_layers=gpu_layers, n_ctx=4096))
    backend.generate(requests(cases[:1], 8))
    rate, tokens, wall = throughput(backend, requests(cases[:8], max_tokens))
    row = {"backend": "llamacpp", "batch": 1, "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()), "tokens": tokens,
           "wall_s": round(wall, 2), "tokens_per_s": round(rate, 1), "eval": eval_wall(backend, cases, max_tokens)}  # fmt: skip
    backend.close()
    print(row, file=sys.stderr, flush=True)
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
