"""Release path at scale: merge -> convert -> Q4_K_M -> verify on a random-init model of the EXACT
Qwen2.5-Coder architecture (config only, no download), then the served Q4_K_M model's decode speed.

    python3 bench/bench_release.py --arch 0.5b --work /tmp/bench-release            # CPU machine
    python3 bench/bench_release.py --arch 14b --work /scratch/rel --gpu-layers -1   # GPU host (128 GB)

Each step runs in its own child of a small parent (a fork of a big parent would count the
parent's memory as the child's): wall time and the step's peak RSS (its children's too, e.g. the
converter subprocess), next to the target "peak RSS <= 1.5 x largest shard + 4 GB" (no
whole-model copy in memory). The model is written as bf16 safetensors shards of --shard-gb (like
the published checkpoints), tensor by tensor, so building it needs no whole-model memory either;
the adapter is a random LoRA of the release config's shape (r 64, alpha 128, all linear layers).
Serving: llama-cpp-python's server on 127.0.0.1 with the Q4_K_M file (offloaded with
--gpu-layers when the installed wheel was built with CUDA), one streamed completion of --tokens
tokens: decode tokens/s from the first to the last streamed token."""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from benchlib import machine, table

ARCHES = {  # Qwen2.5-Coder configs (hidden, MLP, layers, heads, KV heads, tied embeddings), vocab 151,936
    "0.5b": (896, 4864, 24, 14, 2, True),
    "1.5b": (1536, 8960, 28, 12, 2, True),
    "7b": (3584, 18944, 28, 28, 4, False),
    "14b": (5120, 13824, 48, 40, 8, False),
}
VOCAB = 151_936
LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def build(work: Path, arch: str, shard_gb: float, rank: int) -> None:
    """Base (bf16 shards + the project's tokenizer), adapter and a run folder, all random."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from train.release.safetensors_stream import StreamWriter, TensorInfo
    from train.tiny_model import build_tokenizer, corpus_texts, default_corpus

    hidden, mlp, layers, heads, kv, tied = ARCHES[arch]
    config = Qwen2Config(vocab_size=VOCAB, hidden_size=hidden, intermediate_size=mlp, num_hidden_layers=layers,
                         num_attention_heads=heads, num_key_value_heads=kv, tie_word_embeddings=tied,
                         max_position_embeddings=32768, rope_theta=1_000_000.0, dtype="bfloat16")  # fmt: skip
    with torch.device("meta"):
        shapes = {name: tuple(t.shape) for name, t in Qwen2ForCausalLM(config).state_dict().items()}
    if tied:
        shapes.pop("lm_head.weight", None)
    base = work / "base"
    base.mkdir(parents=True)
    tokenizer = build_tokenizer([t for t in corpus_texts(default_corpus(ROOT)) if t.strip()], 3072)
    config.eos_token_id = config.pad_token_id = tokenizer.eos_token_id
    config.architectures = ["Qwen2ForCausalLM"]
    config.save_pretrained(base)
    tokenizer.save_pretrained(base)
    shards: list[list[str]] = [[]]
    size = 0
    for name, shape in shapes.items():
        nbytes = 2 * math.prod(shape)
        if shards[-1] and size + nbytes > shard_gb * 1e9:
            shards.append([])
            size = 0
        shards[-1].append(name)
        size += nbytes
    weight_map = {}
    generator = torch.Generator().manual_seed(0)
    for index, names in enumerate(shards, start=1):
        file = f"model-{index:05d}-of-{len(shards):05d}.safetensors"
        offset, entries = 0, []
        for name in names:
            nbytes = 2 * math.prod(shapes[name])
            entries.append(TensorInfo(name, "BF16", shapes[name], offset, offset + nbytes))
            offset += nbytes
            weight_map[name] = file
        writer = StreamWriter(base / file, entries, {"format": "pt"})
        for name in names:
            std = 1.0 if name.endswith("norm.weight") else 0.02
            tensor = torch.randn(shapes[name], generator=generator).mul_(std)
            writer.write(name, (tensor + 1.0 if name.endswith("norm.weight") else tensor).to(torch.bfloat16))
        writer.close()
    (base / "model.safetensors.index.json").write_text(json.dumps({"metadata": {}, "weight_map": weight_map}), "utf-8")

    run = work / "run"
    adapter = run / "adapter"
    adapter.mkdir(parents=True)
    tokenizer.save_pretrained(adapter)
    lora = {}
    for name, shape in shapes.items():
        module = name.removesuffix(".weight")
        if module.split(".")[-1] in LORA_TARGETS:
            lora[f"base_model.model.{module}.lora_A.weight"] = (torch.randn(rank, shape[1], generator=generator) * 0.01).to(torch.bfloat16)
            lora[f"base_model.model.{module}.lora_B.weight"] = (torch.randn(shape[0], rank, generator=generator) * 0.01).to(torch.bfloat16)
    from safetensors.torch import save_file

    save_file(lora, str(adapter / "adapter_model.safetensors"))
    (adapter / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "r": rank, "lora_alpha": 2 * rank,
        "target_modules": list(LORA_TARGETS), "bias": "none", "base_model_name_or_path": str(base)}), "utf-8")  # fmt: skip
    (run / "config.json").write_text(json.dumps({"name": f"bench-{arch}", "max_seq_len": 4096}), "utf-8")
    (run / "run.json").write_text(json.dumps({"name": f"bench-{arch}", "base_model": str(base), "finished": "bench"}), "utf-8")


def step(work: Path, name: str, arch: str, shard_gb: float, rank: int, gpu_layers: int, tokens: int) -> dict[str, object]:
    """One step inside this (child) process."""
    from train.release import converter
    from train.release.merge import load_adapter, merge_into
    from train.release.quantize import quantize

    merged, f16, q4 = work / "merged", work / "model-BF16.gguf", work / "model-Q4_K_M.gguf"
    if name == "build":
        build(work, arch, shard_gb, rank)
    elif name == "merge":
        merge_into(work / "base", load_adapter(work / "run" / "adapter"), merged)
        for file in ("config.json", "tokenizer.json", "tokenizer_config.json", "chat_template.jinja"):
            shutil.copyfile(work / "run" / "adapter" / file if (work / "run" / "adapter" / file).exists() else work / "base" / file, merged / file)
    elif name == "convert":
        converter.convert(converter.locate(None), merged, f16, "bf16", "qwen2", work / "convert.log")
    elif name == "quantize":
        quantize(f16, q4, "Q4_K_M")
    elif name == "verify":
        return verify(merged, f16, q4)
    elif name == "serve":
        return serve(q4, gpu_layers, tokens)
    return {}


def verify(merged: Path, f16: Path, q4: Path) -> dict[str, object]:
    from transformers import AutoTokenizer

    from train.release.reference import reference_logits
    from train.release.verify import reference_inputs, verify_gguf

    tokenizer = AutoTokenizer.from_pretrained(merged)
    template = (merged / "chat_template.jinja").read_text("utf-8")
    inputs = reference_inputs(tokenizer)
    reference = reference_logits(merged, inputs)
    report, own = verify_gguf(f16, "BF16", tokenizer, template, "qwen2", inputs, reference, "merged")
    quant, _ = verify_gguf(q4, "Q4_K_M", tokenizer, template, "qwen2", inputs, own, "BF16")
    return {"bf16": report.logits, "q4_k_m": quant.logits, "failures": report.failures + quant.failures}


def serve(q4: Path, gpu_layers: int, tokens: int) -> dict[str, object]:
    import socket
    import urllib.request

    import llama_cpp
    from openai import OpenAI

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(q4), "--host", "127.0.0.1",
                               "--port", str(port), "--n_ctx", "2048", "--n_gpu_layers", str(gpu_layers), "--model_alias", "m"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="none", timeout=600)
        stamps = []
        stream = client.completions.create(model="m", prompt="REM BBj\nPRINT", max_tokens=tokens, temperature=0.0, stream=True)
        for chunk in stream:  # one chunk per token; a random model's tokens often decode to no text
            if chunk.choices:
                stamps.append(time.perf_counter())
        decode = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else float("nan")
        return {"tokens": len(stamps), "decode_tokens_per_s": round(decode, 1), "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()),
                "gpu_layers": gpu_layers}  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=60)


def child(args: argparse.Namespace, name: str) -> tuple[float, float, dict[str, object]]:
    """Run one step in a child process: (wall s, peak RSS GB of it and its children, result)."""
    argv = [sys.executable, __file__, "--work", str(args.work), "--arch", args.arch, "--gpu-layers", str(args.gpu_layers),
            "--tokens", str(args.tokens), "--shard-gb", str(args.shard_gb), "--rank", str(args.rank), "--child", name]  # fmt: skip
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"step {name} failed (status {status})")
    result = json.loads(out.strip().splitlines()[-1])
    peak_kb = max(usage.ru_maxrss, int(result.pop("children_maxrss_kb", 0)))
    return wall, peak_kb / 1e6, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", choices=sorted(ARCHES), default="0.5b")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--shard-gb", type=float, default=4.0, help="largest base shard (published Qwen2.5 shards: ~4 GB)")
    parser.add_argument("--rank", type=int, default=64)
    parser.add_argument("--gpu-layers", type=int, default=0, help="layers offloaded when serving (-1 = all)")
    parser.add_argument("--tokens", type=int, default=256, help="tokens generated by the served model")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = step(args.work, args.child, args.arch, args.shard_gb, args.rank, args.gpu_layers, args.tokens)
        result["children_maxrss_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(json.dumps(result))
        return
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    rows, results = [], {}
    for name in ("build", "merge", "convert", "quantize", "verify", "serve"):
        wall, peak, result = child(args, name)  # every step in a fresh child: fork copies no big parent
        results[name] = result
        rows.append((name, f"{wall:.1f}", f"{peak:.2f}"))
        print(f"{name}: {wall:.1f} s, peak RSS {peak:.2f} GB {json.dumps(result) if result else ''}", flush=True)
    shard = max(p.stat().st_size for p in (args.work / "base").glob("*.safetensors")) / 1e9
    sizes = {p.name: round(p.stat().st_size / 1e9, 3) for p in args.work.glob("*.gguf")}
    print(f"\n{machine()}; arch {args.arch}; largest shard {shard:.2f} GB; target peak RSS <= {1.5 * shard + 4:.2f} GB; "
          f"GGUF sizes (GB) {sizes}\n")  # fmt: skip
    print(table(rows, ("step", "wall s", "peak RSS GB")))


if __name__ == "__main__":
    main()
