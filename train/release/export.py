"""`bbj-train export`, step by step: check everything that can be checked before writing a byte
(run, adapter, base, converter, disk, output folder), then merge -> convert -> quantize ->
verify -> Modelfile -> card -> SHA256SUMS in a temporary folder beside the output, renamed into
place at the end: an interrupted export leaves no half release."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from curate.atomic import write_text_atomic
from train import model_files
from train.data.chatml import system_prompt
from train.release import converter
from train.release.base import (
    BaseModel,
    base_fingerprint,
    check_disk,
    inspect_base,
    resolve_base,
)
from train.release.card import data_card, render_card
from train.release.evaluate import fixed_subset
from train.release.llama_steps import REFERENCE, Job, run_llama_steps, save_reference
from train.release.merge import (
    Adapter,
    check_fits,
    load_adapter,
    merge_into,
    weight_index,
)
from train.release.modelfile import check_release_modelfile, render_modelfile
from train.release.quantize import QUANTS
from train.release.reference import check_streamable
from train.training.chat import END_OF_TEXT, IM_END
from train.training.errors import fail
from train.training.rundir import RunDir, sha256

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "special_tokens_map.json",
                   "vocab.json", "merges.txt", "added_tokens.json")  # fmt: skip
CONFIG_FILES = ("config.json", "LICENSE")
TINY_MODEL_CARD = "tiny-model.json"  # written by `bbj-train tiny-model`: its tokenizer is our own BPE


@dataclass
class ExportOptions:
    run: Path
    base: str | None = None
    out_root: Path = Path("dist")
    name: str | None = None
    quants: list[str] = field(default_factory=lambda: ["Q4_K_M"])
    keep_f16: bool = False
    outtype: str = "auto"  # auto | f16 | bf16
    llama_cpp_source: Path | None = None
    tokenizer_pre: str | None = None  # written only if the converter does not recognise the tokenizer
    system: str | None = None
    kl_bound: float = 0.1  # mean KL (nats/token) of Q4_K_M vs the 16-bit file; Q8_0: a tenth
    eval_cases: int = 0  # compile@1 of every file on this many benchmark cases (0: no evaluation)
    eval_suite: Path = Path("benchmark/bbj-bench-v1.jsonl")


@dataclass
class Plan:
    """Everything checked up front."""

    run: RunDir
    manifest: dict[str, Any]
    config: dict[str, Any]
    adapter: Adapter
    base: BaseModel
    converter: Path
    name: str
    out: Path
    fallback_pre: str | None
    eval_cases: list[dict[str, Any]]


def plan_export(options: ExportOptions) -> Plan:
    run = RunDir(options.run)
    if not run.manifest_path.exists() or not (run.path / "config.json").exists():  # a FIFO exists: refused by the reader (TRN030)
        raise fail(str(options.run), "REL001", "not a run folder (no run.json/config.json): give the folder `bbj-train run` made")
    manifest, config = run.manifest(), run.read_json(run.path / "config.json")
    if not run.adapter_dir.is_dir():
        raise fail(str(run.adapter_dir), "REL001", "run has no final adapter/ (unfinished run?)")
    model_files.check_tree(run.adapter_dir, model_files.REFUSED)  # copied whole into the release
    adapter = load_adapter(run.adapter_dir)
    base_path = resolve_base(options.base, manifest.get("base_model"))
    base = inspect_base(base_path)
    recorded = (manifest.get("base") or {}).get("fingerprint")
    if recorded and recorded != base_fingerprint(base_path):
        raise fail(str(base_path), "REL013", "this base is not the one the adapter was trained on (fingerprint "
                   "differs from run.json's): adapter for another base")  # fmt: skip
    check_fits(adapter, weight_index(base_path))
    check_streamable(base_path)
    for quant in options.quants:
        if quant not in QUANTS:
            raise fail("--quant", "REL002", f"unknown quantization {quant}; choose from {', '.join(QUANTS)}")
    source = converter.locate(options.llama_cpp_source)
    name = options.name or f"bbj-coder-{config['name']}"
    out = options.out_root / name
    if out.exists():
        raise fail(str(out), "REL015", "output folder exists: remove it or choose another --name (a release is never overwritten)")
    options.out_root.mkdir(parents=True, exist_ok=True)
    check_disk(options.out_root, base.disk_needed(options.quants, options.keep_f16))
    fallback = options.tokenizer_pre or ("qwen2" if (base_path / TINY_MODEL_CARD).is_file() else None)
    cases = fixed_subset(options.eval_suite, options.eval_cases) if options.eval_cases else []
    return Plan(run, manifest, config, adapter, base, source, name, out, fallback, cases)


def run_export(plan: Plan, options: ExportOptions, say: Callable[[str], None],
               progress: Callable[[str, int], Callable[[int], None]]) -> Path:  # fmt: skip
    """Execute the plan; returns the release folder."""
    staging = Path(tempfile.mkdtemp(prefix=f".{plan.name}.partial-", dir=options.out_root))
    try:
        _build(plan, options, staging, say, progress)
        _readable(staging)
        staging.rename(plan.out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return plan.out


def _build(plan: Plan, options: ExportOptions, staging: Path, say: Callable[[str], None],
           progress: Callable[[str, int], Callable[[int], None]]) -> None:  # fmt: skip
    """Merge, convert and the float32 reference here (torch); quantize, verify and evaluate in a
    child process that loads llama.cpp and never torch (`llama_steps`: a CUDA llama.cpp crashed
    in a process that had imported torch). This process never imports llama_cpp."""
    from transformers import AutoTokenizer

    from train.release.reference import reference_logits
    from train.release.verify import record_answers

    work = staging / ".work"
    merged = work / "merged"
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    say(f"merge: {len(plan.adapter.modules)} LoRA modules into {plan.base.path} ({plan.base.bytes / 1e9:.2f} GB)")
    shard_hashes = merge_into(plan.base.path, plan.adapter, merged, progress("merge", plan.base.bytes))
    _write_side_files(plan, merged)
    timings["merge"] = time.perf_counter() - clock

    outtype = options.outtype if options.outtype != "auto" else ("bf16" if _dtype(merged) == "bfloat16" else "f16")
    sixteen = staging / f"{plan.name}-{outtype.upper()}.gguf"
    clock = time.perf_counter()
    say(f"convert: llama.cpp converter ({plan.converter}) --outtype {outtype}")
    converter.convert(plan.converter, merged, sixteen, outtype, plan.fallback_pre, work / "convert.log")
    timings["convert"] = time.perf_counter() - clock

    clock = time.perf_counter()
    say("reference: float32 logits of the merged model, the tokenizer's answers")
    answers = record_answers(AutoTokenizer.from_pretrained(merged))
    save_reference(work / REFERENCE, reference_logits(merged, answers["inputs"]))
    timings["reference"] = time.perf_counter() - clock
    files = {quant: staging / f"{plan.name}-{quant}.gguf" for quant in options.quants}
    job = Job(str(sixteen), outtype.upper(), {quant: str(path) for quant, path in files.items()}, answers,
              model_files.read_text(merged / "chat_template.jinja", model_files.REFUSED), _gguf_architecture(merged), options.kl_bound, plan.eval_cases)  # fmt: skip
    result = run_llama_steps(job, work, str(plan.out), say)
    timings.update(result["timings"])
    reports: list[dict[str, Any]] = result["verification"]
    failures = [f"{r['file']}: {failure}" for r in reports for failure in r["failures"]]
    if failures:
        raise fail(str(plan.out), "REL050", "verification failed: " + "; ".join(failures))

    num_ctx = int(plan.config.get("max_seq_len") or 4096)
    main_file = files.get("Q4_K_M") or next(iter(files.values()), sixteen)
    system = options.system or system_prompt([])
    write_text_atomic(staging / "Modelfile", render_modelfile(main_file.name, system, num_ctx))
    check_release_modelfile(staging / "Modelfile", num_ctx)
    _copy_adapter(plan, staging / "adapter")
    if (plan.base.path / "LICENSE").exists():
        model_files.copy(plan.base.path / "LICENSE", staging / "LICENSE", model_files.REFUSED)
    shutil.rmtree(work)
    if not options.keep_f16 and files:
        sixteen.unlink()
    release = _release_record(plan, staging, shard_hashes, reports, num_ctx, timings)
    release["evaluation"] = result["evaluation"]
    write_text_atomic(staging / "release.json", json.dumps(release, indent=2) + "\n")
    write_text_atomic(staging / "README.md", render_card(release))
    _write_sums(staging)


def _write_side_files(plan: Plan, merged: Path) -> None:
    """Config and licence from the base; tokenizer and chat template as trained (the adapter's);
    generation config ending at both ChatML stops."""
    for name in CONFIG_FILES:
        if (plan.base.path / name).exists():
            model_files.copy(plan.base.path / name, merged / name, model_files.REFUSED)
    source = plan.adapter.path if (plan.adapter.path / "tokenizer_config.json").exists() else plan.base.path
    for name in TOKENIZER_FILES:
        if (source / name).exists():
            model_files.copy(source / name, merged / name, model_files.REFUSED)
    if not (merged / "chat_template.jinja").is_file():
        raise fail(str(source), "REL003", "no chat_template.jinja beside the adapter: cannot tell which chat format was trained")
    vocab = model_files.read_json(merged / "tokenizer.json", model_files.REFUSED)
    ids = {token["content"]: token["id"] for token in vocab.get("added_tokens", [])}
    generation_file = plan.base.path / "generation_config.json"
    generation = model_files.read_json(generation_file, model_files.REFUSED) if generation_file.exists() else {}
    generation["eos_token_id"] = [ids[IM_END], ids[END_OF_TEXT]]
    generation.setdefault("pad_token_id", ids[END_OF_TEXT])
    write_text_atomic(merged / "generation_config.json", json.dumps(generation, indent=2) + "\n")


def _copy_adapter(plan: Plan, target: Path) -> None:
    """The adapter alongside, naming its base the way a server can find it (the hub id for a hub
    model, else the absolute local path), not the training machine's relative path."""
    shutil.copytree(plan.adapter.path, target, copy_function=_copy_checked)
    recorded = str(plan.manifest.get("base_model") or "")
    name = recorded if recorded and not Path(recorded).expanduser().exists() else str(plan.base.path)
    config = dict(plan.adapter.config, base_model_name_or_path=name)
    write_text_atomic(target / "adapter_config.json", json.dumps(config, indent=2) + "\n")


def _copy_checked(source: str, target: str) -> None:
    model_files.copy(Path(source), Path(target), model_files.REFUSED)


def _release_record(plan: Plan, folder: Path, shard_hashes: dict[str, str], reports: list[dict[str, Any]], num_ctx: int,
                    timings: dict[str, float]) -> dict[str, Any]:  # fmt: skip
    inputs = {key: {**entry, "card": data_card(Path(entry["path"]))} for key, entry in (plan.manifest.get("inputs") or {}).items()}
    return {
        "name": plan.name,
        "folder": str(plan.out),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": {p.name: sha256(p) for p in sorted(folder.glob("*.gguf"))},
        "base": {"path": str(plan.base.path), "parameters": plan.base.parameters, "fingerprint": base_fingerprint(plan.base.path), "shards": shard_hashes},
        "run": {
            "folder": str(plan.run.path),
            "config_name": plan.config.get("name"),
            "base_model": plan.manifest.get("base_model"),
            "finished": plan.manifest.get("finished"),
            "stages": plan.manifest.get("stages"),
            "inputs": inputs,
        },
        "adapter": {"r": plan.adapter.rank, "alpha": plan.adapter.alpha, "rslora": plan.adapter.rslora, "modules": len(plan.adapter.modules)},
        "num_ctx": num_ctx,
        "verification": reports,
        "timings_s": {step: round(seconds, 2) for step, seconds in timings.items()},
        "versions": {name: _version(name) for name in ("llama-cpp-python", "torch", "transformers", "gguf")},
    }


def _readable(folder: Path) -> None:
    """Temp folders and atomic writes are private (0700/0600); a release is read by other users
    (an `ollama` service account, a web server): folders 0755, files 0644."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _write_sums(folder: Path) -> None:
    lines = [f"{sha256(path)}  {path.relative_to(folder).as_posix()}\n"
             for path in sorted(folder.rglob("*")) if path.is_file() and path.name != "SHA256SUMS"]  # fmt: skip
    write_text_atomic(folder / "SHA256SUMS", "".join(lines))


def _dtype(merged: Path) -> str:
    config = model_files.read_json(merged / "config.json", model_files.REFUSED)
    return str(config.get("dtype") or config.get("torch_dtype") or "float32")


def _gguf_architecture(merged: Path) -> str:
    """llama.cpp's architecture name for the HF config (qwen2 for Qwen2ForCausalLM)."""
    return str(model_files.read_json(merged / "config.json", model_files.REFUSED).get("model_type", "")).replace("-", "")


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
