"""Model backends: Unsloth (fast QLoRA kernels, CUDA only) and transformers + PEFT (anywhere:
bitsandbytes 4-bit on CUDA, plain fp32 LoRA on CPU). Both return a PEFT model with the same
adapter shape and our ChatML tokenizer, so the stages do not care which one loaded it."""

from __future__ import annotations

import importlib
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curate.diagnostics import Diagnostic
from train.config import ConfigSource, RunConfig
from train.training.chat import install_chat_template
from train.training.distributed import world
from train.training.errors import TrainingError, fail


@dataclass(frozen=True)
class Backend:
    """Which backend loads the model, on which device, and why (the run log says it)."""

    name: str  # "unsloth" | "hf"
    device: str  # "cuda" | "cpu"
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "device": self.device, "reason": self.reason}


def choose_backend(requested: str, source: ConfigSource) -> Backend:
    """Pick the backend. Importing unsloth here (before transformers and trl) lets it patch them.
    A refusal points at the config's `backend` key (`source`)."""
    import torch

    cuda = torch.cuda.is_available()
    device = "cuda" if cuda else "cpu"
    if requested == "hf":
        return Backend("hf", device, "backend = 'hf' in the config")
    installed = importlib.util.find_spec("unsloth") is not None
    if not cuda or not installed:
        missing = "no CUDA device" if not cuda else "the unsloth package is not installed"
        if requested == "unsloth":
            raise TrainingError([source.diagnostic("backend", "TRN020", f"backend = 'unsloth' cannot run here: {missing} (use 'auto' or 'hf')")])
        return Backend("hf", device, f"auto: {missing}, so transformers + PEFT")
    try:
        importlib.import_module("unsloth")
    except Exception as exc:  # noqa: BLE001 - any import failure means: not usable here
        if requested == "unsloth":
            raise TrainingError([source.diagnostic("backend", "TRN020", f"backend = 'unsloth': import failed: {exc}")]) from None
        return Backend("hf", device, f"auto: unsloth failed to import ({exc.__class__.__name__}), so transformers + PEFT")
    why = "backend = 'unsloth' in the config" if requested == "unsloth" else "auto: CUDA and unsloth are available"
    return Backend("unsloth", device, why)


CPU_WEIGHT_LIMIT = 4 * 2**30  # local base weights above this would train for days on a CPU


def preflight(config: RunConfig, backend: Backend, source: ConfigSource) -> None:
    """Refuse, before a run folder exists, a config this machine cannot train: a tracker in
    `report_to` that is not installed (the trainer would fail after the model loaded), 4-bit
    loading or a large local base model without CUDA (it would silently run in fp32 for days), a
    local base folder with a file the model loader would hang on. One diagnostic per reason, at the key that asks for it."""
    problems = [
        source.diagnostic("report_to", "TRN023", f"report_to = {tracker!r} needs the {tracker} package here (pip install {tracker}), or drop it from report_to")
        for tracker in config.report_to
        if importlib.util.find_spec(tracker) is None
    ]
    problems += base_folder_problems(config.base_model, source)
    if backend.device == "cuda":
        if problems:
            raise TrainingError(problems)
        return
    advice = "on CPU use configs/tiny.toml"
    if config.quantization.load_in_4bit:
        message = f"this config needs a CUDA GPU (quantization.load_in_4bit = true: bitsandbytes 4-bit); {advice}"
        problems.append(source.diagnostic("quantization.load_in_4bit", "TRN022", message))
    weights = local_weight_bytes(config.base_model) or named_weight_bytes(config.base_model)
    if weights > CPU_WEIGHT_LIMIT:
        message = f"this config needs a CUDA GPU (base model weights of about {weights / 2**30:.1f} GiB); {advice}"
        problems.append(source.diagnostic("base_model", "TRN022", message))
    if problems:
        raise TrainingError(problems)


def base_folder_problems(base_model: str, source: ConfigSource) -> list[Diagnostic]:
    """TRN040 at `base_model` for a local base folder (or the cached snapshot of a hub id) holding a file transformers would block
    on or read without end (a FIFO, a link to a device, an oversize config or tokenizer) or a
    shard index naming a file outside the folder, or a safetensors header out of bounds: the
    model files are checked before the run folder exists (train/model_files.py)."""
    from train.model_files import check_model_folder
    from train.release.base import hub_cache, looks_like_repo_id
    from train.release.safetensors_stream import SafetensorsError, read_header

    local = Path(base_model).expanduser()
    # a hub id: transformers loads its snapshot from the local cache, when it is there
    folder = local if local.is_dir() else hub_cache(base_model) if looks_like_repo_id(base_model) else None
    if folder is None:
        return []
    try:
        check_model_folder(folder, "TRN040")
        for shard in sorted(folder.glob("*.safetensors")):
            read_header(shard)  # the length field and offsets bounded (safetensors itself would say only "invalid")
    except TrainingError as exc:
        return [source.diagnostic("base_model", "TRN040", f"{d.path}: {d.message}") for d in exc.diagnostics]
    except SafetensorsError as exc:
        return [source.diagnostic("base_model", "TRN040", f"unreadable safetensors file: {exc}")]
    return []


def local_weight_bytes(base_model: str) -> int:
    """Bytes of the weight files of a local model folder (0 for a hub id or no folder)."""
    folder = Path(base_model)
    if not folder.is_dir():
        return 0
    return sum(p.stat().st_size for pattern in ("*.safetensors", "*.bin") for p in folder.glob(pattern) if p.is_file())


_SIZE_IN_NAME = re.compile(r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)[Bb](?![A-Za-z0-9])")


def named_weight_bytes(base_model: str) -> int:
    """16-bit weight bytes of a hub model whose name states its size (`Qwen/Qwen2.5-Coder-14B`:
    14e9 parameters x 2 bytes), for the pre-flight check before anything is downloaded; 0 for
    a local folder or a name without a size."""
    if Path(base_model).expanduser().exists():
        return 0
    match = _SIZE_IN_NAME.search(base_model.rsplit("/", 1)[-1])
    return int(float(match.group(1)) * 1e9 * 2) if match else 0


def load_model(config: RunConfig, backend: Backend) -> tuple[Any, Any]:
    """(peft_model, tokenizer) ready to train: base frozen (4-bit on CUDA when configured), fresh adapter."""
    try:
        if backend.name == "unsloth":
            model, tokenizer = _load_unsloth(config)
        else:
            model, tokenizer = _load_hf(config, backend)
    except OSError as exc:
        raise fail(config.base_model, "TRN040", f"base_model: cannot load {config.base_model!r}: {exc}") from None
    install_chat_template(tokenizer)
    model.config.use_cache = False  # a KV cache in training defeats packed-sequence attention masks
    return model, tokenizer


def base_source(base_model: str) -> str:
    """A local base folder as an absolute path (the adapter records what it was loaded from, and a
    relative path would load only from the folder training ran in); a hub id as given."""
    path = Path(base_model).expanduser()
    return str(path.resolve()) if path.is_dir() else base_model


def _lora_kwargs(config: RunConfig) -> dict[str, Any]:
    lora = config.lora
    return {"r": lora.r, "lora_alpha": lora.effective_alpha, "lora_dropout": lora.dropout,
            "target_modules": list(lora.target_modules), "bias": "none"}  # fmt: skip


def _load_unsloth(config: RunConfig) -> tuple[Any, Any]:
    import torch
    from unsloth import FastLanguageModel

    quant = config.quantization
    model, tokenizer = FastLanguageModel.from_pretrained(
        model_name=base_source(config.base_model),
        max_seq_length=config.max_seq_len,
        load_in_4bit=quant.load_in_4bit,
        dtype=getattr(torch, quant.compute_dtype),
        **({"device_map": {"": _worker_gpu()}} if world().distributed else {}),
    )
    model = FastLanguageModel.get_peft_model(
        model,
        **_lora_kwargs(config),
        use_gradient_checkpointing="unsloth" if config.gradient_checkpointing else False,
        random_state=config.seed,
    )
    return model, tokenizer


def _load_hf(config: RunConfig, backend: Backend) -> tuple[Any, Any]:
    import torch
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training
    from transformers import AutoModelForCausalLM, AutoTokenizer, set_seed

    quant = config.quantization
    source = base_source(config.base_model)
    tokenizer = AutoTokenizer.from_pretrained(source)
    kwargs: dict[str, Any] = {"attn_implementation": "sdpa"}
    four_bit = backend.device == "cuda" and quant.load_in_4bit
    if backend.device == "cuda":
        kwargs.update(dtype=getattr(torch, quant.compute_dtype), device_map={"": _worker_gpu()})
    else:
        kwargs.update(dtype=torch.float32)
    if four_bit:
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type=quant.quant_type,
            bnb_4bit_use_double_quant=quant.double_quant,
            bnb_4bit_compute_dtype=getattr(torch, quant.compute_dtype),
        )
    model = AutoModelForCausalLM.from_pretrained(source, **kwargs)
    if four_bit:
        # DDP needs the non-reentrant flavour (reentrant checkpointing marks adapter weights ready twice)
        reentrant = {"gradient_checkpointing_kwargs": {"use_reentrant": False}} if world().distributed else {}
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=config.gradient_checkpointing,
                                                **reentrant)  # fmt: skip
    elif config.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    set_seed(config.seed)  # the adapter's random init depends on the seed alone, not on what ran before
    model = get_peft_model(model, LoraConfig(task_type="CAUSAL_LM", **_lora_kwargs(config)))
    return model, tokenizer


def _worker_gpu() -> int:
    """This worker's GPU (its local rank; 0 when not launched as one of several workers)."""
    import torch

    local_rank = world().local_rank
    torch.cuda.set_device(local_rank)
    return local_rank


def load_adapter_weights(model: Any, adapter_dir: Path) -> None:
    """Continue from a saved adapter (Stage 2 starts from Stage 1's): same shape, weights replaced."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    from train.model_files import check

    weights = adapter_dir / "adapter_model.safetensors"
    check(weights, "TRN030")  # a run folder file: safetensors maps it, so a FIFO or a device is refused first
    result = set_peft_model_state_dict(model, load_file(str(weights)))
    if getattr(result, "unexpected_keys", None):
        raise fail(str(adapter_dir), "TRN041", f"adapter does not fit the model: {result.unexpected_keys[:3]}")


def describe(backend: Backend, config: RunConfig) -> str:
    if backend.device == "cpu":
        precision = "fp32 LoRA on CPU (quantization off: bitsandbytes 4-bit needs CUDA)"
    elif config.quantization.load_in_4bit:
        q = config.quantization
        precision = f"QLoRA {q.quant_type.upper()} double_quant={q.double_quant} compute={q.compute_dtype}"
    else:
        precision = f"LoRA on a {config.quantization.compute_dtype} base"
    return f"backend {backend.name} on {backend.device} ({backend.reason}); {precision}"
