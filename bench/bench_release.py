"""Release path at scale: merge -> float32 reference -> convert -> Q4_K_M -> verify on a random-init
model of the EXACT Qwen2.5-Coder architecture (config only, no download), then the served Q4_K_M
model's decode speed. Wall time and peak memory PER STEP.

    python3 bench/bench_release.py --arch 0.5b --work /tmp/bench-release              # CPU machine
    python3 bench/bench_release.py --arch 14b --work /root/rel14 --base-dir /dev/shm/rel14-base \\
        --gguf16-dir /dev/shm --free-disk --steps build,merge                         # then the rest

Steps (`--steps`, default all but reference-whole, in this order): build (random bf16 base in
--shard-gb shards + the project's tokenizer + a random LoRA r 64 on every linear layer: not part
of an export), merge (streamed), reference (the verification's streamed float32 reference logits,
saved to reference.npz with the tokenizer's answers, so that verify never imports torch), convert (llama.cpp's converter -> BF16 GGUF), quantize (Q4_K_M, C API),
verify (BF16 GGUF vs the reference, Q4_K_M vs BF16: the export's own checks), serve (llama-cpp-
python's server on 127.0.0.1 with the Q4_K_M file - in process with the same engine where the
server's dependencies are missing - every layer offloaded when the wheel has CUDA, one streamed
completion of --tokens tokens: decode tokens/s as llama.cpp counts them (its "eval time" line) and
as the client sees them; the JSON records the engine, the offload support and llama.cpp's
"offloaded N/M layers to GPU"). reference-whole
(only when named) is the old whole-model float32 reference, for the before/after memory figure.
Every step reuses the files earlier steps left in --work (and --base-dir / --gguf16-dir), so a
long run splits over several commands on a machine kept warm; results accumulate in
<work>/bench-release.json and every command prints the table of all steps recorded so far.
`build` starts over (it clears the work folder).

Memory: each step runs in its own child of this small parent (a fork of a big parent would count
the parent's memory as the child's). "peak RSS" is the child's ru_maxrss or its children's (the
converter subprocess) - it counts pages of files the step maps, and llama.cpp maps each GGUF it
reads (quantize, verify): page cache, not memory the step allocated. "peak anon" is sampled every
0.1 s over the step's process tree (RssAnon: heap and other private memory), the figure to read
against the target "peak RSS <= 1.5 x largest shard + 4 GB" (no whole-model copy in memory).

Disk (bytes per parameter: base 2, merged 2, BF16 GGUF 2, Q4_K_M ~0.6; 14B = 14.8 G parameters:
29.5 + 29.5 + 29.5 + 9 GB, more than a 64 GB disk). --base-dir and --gguf16-dir put the base and
the BF16 GGUF elsewhere (a tmpfs such as /dev/shm: RAM, not disk; its size must hold them:
`df -h /dev/shm`, `mount -o remount,size=70G /dev/shm` as root). --free-disk deletes each large
file as soon as no later step needs it: the base's shards after merge, the merged shards after
reference + convert (its config and tokenizer stay for verify), the BF16 GGUF after verify; a
deleted input cannot be reused (re-run from build). With both, the 14B peaks are 29.5 GB on disk
(merged, then Q4_K_M) and 29.5 GB in /dev/shm (base, then BF16 GGUF); each step checks the free
space it needs before it starts."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from benchlib import machine, table

from train.llamacpp_first import load_llama_cpp_first

ARCHES = {  # Qwen2.5-Coder configs (hidden, MLP, layers, heads, KV heads, tied embeddings), vocab 151,936
    "0.5b": (896, 4864, 24, 14, 2, True),
    "1.5b": (1536, 8960, 28, 12, 2, True),
    "7b": (3584, 18944, 28, 28, 4, False),
    "14b": (5120, 13824, 48, 40, 8, False),
}
VOCAB = 151_936
LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
STEPS = ("build", "merge", "reference", "reference-whole", "convert", "quantize", "verify", "serve")
DEFAULT_STEPS = tuple(s for s in STEPS if s != "reference-whole")
SERVE_PROMPT = "REM BBj\nPRINT"
Q4_K_M_BYTES = 0.65  # per parameter, with the Q6_K output head and embeddings (measured 0.62 on 0.5B)


class Layout:
    """Where every file of the run lives."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.work: Path = args.work
        self.base: Path = args.base_dir or args.work / "base"
        self.run = args.work / "run"
        self.merged = args.work / "merged"
        self.reference = args.work / "reference.npz"
        self.tokenizer = args.work / "tokenizer-answers.json"
        self.gguf16: Path = (args.gguf16_dir or args.work) / "model-BF16.gguf"
        self.q4 = args.work / "model-Q4_K_M.gguf"
        self.results = args.work / "bench-release.json"


def parameters(arch: str) -> int:
    hidden, mlp, layers, heads, kv, tied = ARCHES[arch]
    kv_dim = hidden // heads * kv
    layer = 2 * hidden * hidden + 2 * hidden * kv_dim + hidden + 2 * kv_dim + 3 * hidden * mlp + 2 * hidden
    return VOCAB * hidden * (1 if tied else 2) + layers * layer + hidden


def build(layout: Layout, arch: str, shard_gb: float, rank: int) -> None:
    """Base (bf16 shards + the project's tokenizer), adapter and a run folder, all random; written
    tensor by tensor, so building needs no whole-model memory either."""
    import torch
    from safetensors.torch import save_file
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
    base = layout.base
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

    adapter = layout.run / "adapter"
    adapter.mkdir(parents=True)
    tokenizer.save_pretrained(adapter)
    lora = {}
    for name, shape in shapes.items():
        module = name.removesuffix(".weight")
        if module.split(".")[-1] in LORA_TARGETS:
            lora[f"base_model.model.{module}.lora_A.weight"] = (torch.randn(rank, shape[1], generator=generator) * 0.01).to(torch.bfloat16)
            lora[f"base_model.model.{module}.lora_B.weight"] = (torch.randn(shape[0], rank, generator=generator) * 0.01).to(torch.bfloat16)
    save_file(lora, str(adapter / "adapter_model.safetensors"))
    (adapter / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "r": rank, "lora_alpha": 2 * rank,
        "target_modules": list(LORA_TARGETS), "bias": "none", "base_model_name_or_path": str(base)}), "utf-8")  # fmt: skip


def step(layout: Layout, name: str, args: argparse.Namespace) -> dict[str, Any]:
    """One step inside this (child) process."""
    from train.release import converter
    from train.release.merge import load_adapter, merge_into
    from train.release.quantize import quantize

    if name == "build":
        build(layout, args.arch, args.shard_gb, args.rank)
    elif name == "merge":
        shutil.rmtree(layout.merged, ignore_errors=True)
        merge_into(layout.base, load_adapter(layout.run / "adapter"), layout.merged)
        for file in ("config.json", "tokenizer.json", "tokenizer_config.json", "chat_template.jinja"):
            source = layout.run / "adapter" / file
            shutil.copyfile(source if source.exists() else layout.base / file, layout.merged / file)
    elif name in ("reference", "reference-whole"):
        return reference(layout, whole=name == "reference-whole")
    elif name == "convert":
        converter.convert(converter.locate(None), layout.merged, layout.gguf16, "bf16", "qwen2", layout.work / "convert.log")
    elif name == "quantize":
        quantize(layout.gguf16, layout.q4, "Q4_K_M")
    elif name == "verify":
        return verify(layout)
    elif name == "serve":
        return serve(layout, args.gpu_layers, args.tokens)
    return {}


def record_tokenizer(merged: Path, out: Path) -> list[list[int]]:
    """Write the tokenizer's answers (`verify.record_answers`, what the export's parent hands its
    llama.cpp process) for the torch-free verify step; returns the reference inputs."""
    from transformers import AutoTokenizer

    from train.release.verify import record_answers

    record = record_answers(AutoTokenizer.from_pretrained(merged))
    out.write_text(json.dumps(record), "utf-8")
    return list(record["inputs"])


def reference(layout: Layout, whole: bool) -> dict[str, Any]:
    """The streamed reference (saved for verify, with the tokenizer's answers), or the
    whole-model one compared with it."""
    import numpy as np

    from train.release.llama_steps import load_reference, save_reference
    from train.release.reference import reference_logits

    if not whole:
        inputs = record_tokenizer(layout.merged, layout.tokenizer)
        save_reference(layout.reference, reference_logits(layout.merged, inputs))
        return {"positions": sum(len(ids) for ids in inputs)}
    import torch
    from transformers import AutoModelForCausalLM

    inputs = json.loads(layout.tokenizer.read_text("utf-8"))["inputs"]
    model = AutoModelForCausalLM.from_pretrained(layout.merged, dtype=torch.float32).eval()
    with torch.no_grad():
        logits = [model(torch.tensor([ids])).logits[0].numpy() for ids in inputs]
    streamed = load_reference(layout.reference, len(inputs))
    return {"max_abs_diff_vs_streamed": max(float(np.abs(a - b).max()) for a, b in zip(logits, streamed, strict=True))}


def verify(layout: Layout) -> dict[str, Any]:
    """The export's checks (`llama_steps.verify_files`, what its llama.cpp process runs), in a
    process that never imports torch."""
    from train.release.llama_steps import load_reference, verify_files
    from train.release.verify import Q4_K_M_KL_BOUND, RecordedTokenizer

    tokenizer = RecordedTokenizer(json.loads(layout.tokenizer.read_text("utf-8")))
    template = (layout.merged / "chat_template.jinja").read_text("utf-8")
    reference = load_reference(layout.reference, len(tokenizer.inputs))
    report, quant = verify_files(layout.gguf16, "BF16", {"Q4_K_M": layout.q4}, tokenizer, template, "qwen2", reference, Q4_K_M_KL_BOUND,
                                 lambda name: None)  # fmt: skip
    return {"bf16": report["logits"], "q4_k_m": quant["logits"], "tokens": [report["tokens"], quant["tokens"]],
            "metadata": [report["metadata"], quant["metadata"]], "failures": report["failures"] + quant["failures"],
            "torch_imported": "torch" in sys.modules}  # fmt: skip


def serve(layout: Layout, gpu_layers: int | None, tokens: int) -> dict[str, Any]:
    """Decode tokens/s of the Q4_K_M file, every layer offloaded when the wheel has CUDA: through
    llama-cpp-python's OpenAI-compatible server (what `bbj-train serve` runs), or in process with
    the same engine where the server's dependencies are not installed (the JSON says which)."""
    import importlib.util

    import llama_cpp

    offload = bool(llama_cpp.llama_supports_gpu_offload())
    layers = gpu_layers if gpu_layers is not None else (-1 if offload else 0)
    served = all(importlib.util.find_spec(m) for m in ("openai", "uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings"))
    log = layout.work / "serve.log"
    with log.open("w") as output:
        started = time.perf_counter()
        stamps = (_served_stamps if served else _in_process_stamps)(layout.q4, layers, tokens, output)
    text = log.read_text("utf-8", errors="replace")
    offloaded = re.findall(r"offloaded (\d+/\d+) layers to GPU", text)
    # llama.cpp's own count: a stream's chunks are not tokens (the server sent 232 chunks for
    # max_tokens 128 and decoded 230 tokens: random tokens that decode to no text do not count
    # towards max_tokens there)
    perf = re.findall(r"\beval time =\s*([\d.]+) ms /\s*(\d+) runs", text)
    eval_ms, runs = (float(perf[-1][0]), int(perf[-1][1])) if perf else (float("nan"), 0)
    return {"engine": "llama_cpp.server" if served else "llama_cpp.Llama in process (server dependencies missing)",
            "load_s": round(stamps[0] - started, 1), "decoded_tokens": runs, "decode_tokens_per_s": round(1000 * runs / eval_ms, 1),
            "client_tokens_per_s": round(runs / (stamps[-1] - stamps[1]), 1) if len(stamps) > 2 else None, "gpu_offload_supported": offload,
            "gpu_layers": layers, "offloaded_layers": offloaded[-1] if offloaded else None}  # fmt: skip


def _served_stamps(q4: Path, layers: int, tokens: int, output: Any) -> list[float]:
    """[server ready, the time of every streamed chunk]."""
    import socket
    import urllib.request

    from openai import OpenAI

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(q4), "--host", "127.0.0.1", "--port", str(port),
                               "--n_ctx", "2048", "--n_gpu_layers", str(layers), "--model_alias", "m"], stdout=output, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit("server exited (see serve.log)")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        stamps = [time.perf_counter()]
        client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="none", timeout=600)
        stream = client.completions.create(model="m", prompt=SERVE_PROMPT, max_tokens=tokens, temperature=0.0, stream=True)
        for chunk in stream:
            if chunk.choices:
                stamps.append(time.perf_counter())
        return stamps
    finally:
        server.terminate()
        server.wait(timeout=60)


def _in_process_stamps(q4: Path, layers: int, tokens: int, output: Any) -> list[float]:
    from llama_cpp import Llama

    saved = os.dup(2)
    os.dup2(output.fileno(), 2)  # llama.cpp's log (offloaded layers, eval time) goes to serve.log
    try:
        llm = Llama(str(q4), n_ctx=2048, n_gpu_layers=layers, verbose=True)
        stamps = [time.perf_counter()]
        for _ in llm.create_completion(SERVE_PROMPT, max_tokens=tokens, temperature=0.0, stream=True):
            stamps.append(time.perf_counter())
        llm.close()
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
    return stamps


# -- the parent: disk plan, one child per step, memory sampling, results ---------------------------
def needs(layout: Layout, arch: str) -> dict[str, tuple[list[Path], list[tuple[Path, float]]]]:
    """Step -> (inputs that must exist, a name with * a pattern; [(folder, bytes it writes there)])."""
    sixteen = 2.0 * parameters(arch)
    return {
        "build": ([], [(layout.base.parent, sixteen)]),
        "merge": ([layout.base / "*.safetensors", layout.run / "adapter"], [(layout.work, sixteen)]),
        "reference": ([layout.merged / "*.safetensors"], []),
        "reference-whole": ([layout.merged / "*.safetensors", layout.reference, layout.tokenizer], []),
        "convert": ([layout.merged / "*.safetensors"], [(layout.gguf16.parent, sixteen)]),
        "quantize": ([layout.gguf16], [(layout.work, Q4_K_M_BYTES * parameters(arch))]),
        "verify": ([layout.reference, layout.tokenizer, layout.gguf16, layout.q4], []),
        "serve": ([layout.q4], []),
    }


def check_step(layout: Layout, arch: str, name: str) -> None:
    inputs, writes = needs(layout, arch)[name]
    missing = [str(p) for p in inputs if not (any(p.parent.glob(p.name)) if "*" in p.name else p.exists())]
    if missing:
        raise SystemExit(f"step {name}: missing {', '.join(missing)} (run the earlier steps into this --work; a --free-disk "
                         "run deleted its inputs as it went)")  # fmt: skip
    for folder, nbytes in writes:
        folder.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(folder).free
        if free < 1.03 * nbytes:
            raise SystemExit(f"step {name}: needs {nbytes / 1e9:.1f} GB in {folder}, {free / 1e9:.1f} GB free "
                             "(--free-disk, --base-dir / --gguf16-dir on a tmpfs: see the docstring)")  # fmt: skip


def free_after(layout: Layout, name: str, done: set[str]) -> list[str]:
    """--free-disk: delete what no later step needs; returns what was deleted."""
    doomed: list[Path] = []
    if name == "merge":
        doomed = list(layout.base.glob("*.safetensors"))
    elif name in ("reference", "convert") and {"reference", "convert"} <= done:
        doomed = list(layout.merged.glob("*.safetensors"))  # config, tokenizer, template stay (verify)
    elif name == "verify":
        doomed = [layout.gguf16]
    for path in doomed:
        path.unlink(missing_ok=True)
    return [str(p) for p in doomed]


def tree_anon_kb(pid: int) -> int:
    """RssAnon of a process and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("RssAnon:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def child(args: argparse.Namespace, name: str) -> dict[str, Any]:
    """Run one step in a child process: wall s, peak RSS and sampled peak anon GB, its result."""
    argv = [sys.executable, __file__, "--work", str(args.work), "--arch", args.arch, "--tokens", str(args.tokens),
            "--shard-gb", str(args.shard_gb), "--rank", str(args.rank), "--child", name]  # fmt: skip
    for option, value in (("--base-dir", args.base_dir), ("--gguf16-dir", args.gguf16_dir), ("--gpu-layers", args.gpu_layers)):
        if value is not None:
            argv += [option, str(value)]
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    anon = [0]
    running = threading.Event()
    running.set()

    def sample() -> None:
        while running.is_set():
            anon[0] = max(anon[0], tree_anon_kb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    running.clear()
    sampler.join()
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"step {name} failed (status {status})")
    result = json.loads(out.strip().splitlines()[-1])
    peak_kb = max(usage.ru_maxrss, int(result.pop("children_maxrss_kb", 0)))
    return {"wall_s": round(wall, 1), "peak_rss_gb": round(peak_kb / 1e6, 2), "peak_anon_gb": round(anon[0] / 1e6, 2),
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)], "result": result}  # fmt: skip


def gpu() -> str:
    try:
        return subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def report(layout: Layout, record: dict[str, Any]) -> None:
    shards = list(layout.base.glob("*.safetensors")) or list(layout.merged.glob("*.safetensors"))
    shard = max(p.stat().st_size for p in shards) / 1e9 if shards else record.get("largest_shard_gb", 0.0)
    record["largest_shard_gb"] = round(shard, 2)
    target = 1.5 * shard + 4
    rows: list[tuple[str, ...]] = [(name, f"{s['wall_s']:.1f}", f"{s['peak_rss_gb']:.2f}", f"{s['peak_anon_gb']:.2f}", "yes" if s["peak_anon_gb"] <= target else "NO")
            for name in STEPS if (s := record["steps"].get(name))]  # fmt: skip
    print(f"\n{record['machine']}; arch {record['arch']} ({parameters(record['arch']) / 1e9:.2f} G parameters); largest shard "
          f"{shard:.2f} GB; target peak <= {target:.2f} GB; GGUF sizes (GB) {record.get('gguf_gb', {})}\n")  # fmt: skip
    print(table(rows, ("step", "wall s", "peak RSS GB", "peak anon GB (sampled)", "anon within target")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", choices=sorted(ARCHES), default="0.5b")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--steps", default=",".join(DEFAULT_STEPS), help=f"comma-separated, from {','.join(STEPS)}")
    parser.add_argument("--base-dir", type=Path, default=None, help="where build writes the base (default <work>/base)")
    parser.add_argument("--gguf16-dir", type=Path, default=None, help="where convert writes the BF16 GGUF (default <work>)")
    parser.add_argument("--free-disk", action="store_true", help="delete each large file once no later step needs it")
    parser.add_argument("--shard-gb", type=float, default=4.0, help="largest base shard (published Qwen2.5 shards: ~4 GB)")
    parser.add_argument("--rank", type=int, default=64)
    parser.add_argument("--gpu-layers", type=int, default=None, help="layers offloaded when serving (default: all when the wheel has CUDA)")
    parser.add_argument("--tokens", type=int, default=256, help="tokens generated by the served model")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child in ("quantize", "verify", "serve"):
        load_llama_cpp_first()
    layout = Layout(args)
    if args.child:
        result = step(layout, args.child, args)
        result["children_maxrss_kb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(json.dumps(result))
        return
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        parser.error(f"unknown step(s) {unknown}; choose from {','.join(STEPS)}")
    if "build" in steps:
        for folder in (args.work, layout.base):
            shutil.rmtree(folder, ignore_errors=True)
    args.work.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = json.loads(layout.results.read_text("utf-8")) if layout.results.exists() else {"steps": {}, "deleted": []}
    if record.get("arch", args.arch) != args.arch:
        raise SystemExit(f"{args.work} holds a {record['arch']} run: use another --work or start with build")
    record.update(arch=args.arch, machine=f"{machine()}{'; GPU ' + name if (name := gpu()) else ''}")
    for name in sorted(steps, key=STEPS.index):
        check_step(layout, args.arch, name)
        record["steps"][name] = child(args, name)  # every step in a fresh child: fork copies no big parent
        print(f"{name}: {json.dumps(record['steps'][name])}", flush=True)
        if args.free_disk:
            record["deleted"] += free_after(layout, name, set(record["steps"]))
        sizes = {p.name: round(p.stat().st_size / 1e9, 3) for p in (layout.gguf16, layout.q4) if p.exists()}
        record["gguf_gb"] = {**record.get("gguf_gb", {}), **sizes}
        layout.results.write_text(json.dumps(record, indent=1) + "\n", "utf-8")
    report(layout, record)
    layout.results.write_text(json.dumps(record, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
