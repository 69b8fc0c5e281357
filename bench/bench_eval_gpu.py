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
    args = parser.parse_args()
    if args.make_random:
        make_random(args.make_random)
    if args.convert:
        convert(*args.convert)
    if not args.model and not args.gguf:
        return

    import torch

    from train.eval.backends import LlamaCppBackend, TransformersBackend
    from train.eval.cases import load_case_file
    from train.eval.config import ModelSpec

    cases = load_case_file(ROOT / "benchmark" / "bbj-bench-v1.jsonl")[: args.cases]
    result: dict[str, Any] = {"device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
                              "torch": torch.__version__, "max_tokens": args.max_tokens, "rows": []}  # fmt: skip
    if args.model:
        import transformers

        result["transformers"] = transformers.__version__
        for size in args.batch_sizes:
            backend = TransformersBackend(ModelSpec(name="hf", backend="transformers", model=str(args.model), batch_size=size, load_in_4bit=False))
            backend.generate(requests(cases[:1], 8))  # load + warm up
            rate, tokens, wall = throughput(backend, requests(cases[: max(size, 8)], args.max_tokens))
            row = {"backend": "transformers", "batch": size, "tokens": tokens, "wall_s": round(wall, 2), "tokens_per_s": round(rate, 1)}
            if size == max(args.batch_sizes):
                row["eval"] = eval_wall(backend, cases, args.max_tokens)
            result["rows"].append(row)
            print(row, flush=True)
            backend.close()
            torch.cuda.empty_cache() if torch.cuda.is_available() else None
    if args.gguf:
        import llama_cpp

        backend = LlamaCppBackend(ModelSpec(name="gguf", backend="llamacpp", gguf=str(args.gguf), n_gpu_layers=args.n_gpu_layers, n_ctx=4096))
        backend.generate(requests(cases[:1], 8))
        rate, tokens, wall = throughput(backend, requests(cases[:8], args.max_tokens))
        row = {"backend": "llamacpp", "batch": 1, "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()), "tokens": tokens,
               "wall_s": round(wall, 2), "tokens_per_s": round(rate, 1), "eval": eval_wall(backend, cases, args.max_tokens)}  # fmt: skip
        result["rows"].append(row)
        print(row, flush=True)
        backend.close()
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
