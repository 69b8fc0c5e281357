"""Merge a PEFT LoRA adapter into the 16-bit base weights, one tensor at a time.

W' = W + scale * (B @ A), computed in float32 and cast back to W's dtype, with
scale = alpha / r (LoRA) or alpha / sqrt(r) (rsLoRA): the same arithmetic as PEFT's
`merge_and_unload()`, without a model object. The base is read shard by shard and every merged
shard written as it is computed (`safetensors_stream`), so peak memory is one tensor plus the
adapter: a 14B model (about 30 GB in bf16) merges on a 24 GB machine.

Refused, with the module named: DoRA (its magnitude vector rescales W; not a plain sum),
`modules_to_save`, trained biases, embedding LoRA, rank/alpha patterns, fan-in-fan-out layers,
adapter modules that match no base weight, and LoRA shapes that do not fit the base weight (an
adapter trained on another base)."""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from train.model_files import ESCAPES, INDEX, REFUSED, check, copy, indexed_shards, read_json
from train.release.safetensors_stream import (
    StreamWriter,
    TensorInfo,
    iter_tensors,
    read_header,
)
from train.training.errors import fail

PEFT_PREFIX = "base_model.model."
LORA_SUFFIXES = {".lora_A.weight": "A", ".lora_B.weight": "B"}


@dataclass(frozen=True)
class LoraModule:
    weight: str  # base tensor name, e.g. model.layers.0.self_attn.q_proj.weight
    a: Any  # (r, in_features)
    b: Any  # (out_features, r)


@dataclass(frozen=True)
class Adapter:
    path: Path
    rank: int
    alpha: float
    rslora: bool
    modules: dict[str, LoraModule]  # by base weight name
    config: dict[str, Any]

    @property
    def scale(self) -> float:
        return self.alpha / (math.sqrt(self.rank) if self.rslora else self.rank)


def load_adapter(folder: Path) -> Adapter:
    """Read adapter_config.json + adapter_model.safetensors; refuse what a plain sum cannot merge
    (and, REL017, either file when it is not a regular file or the config is over its cap)."""
    from safetensors.torch import load_file

    config_path, weights_path = folder / "adapter_config.json", folder / "adapter_model.safetensors"
    for needed in (config_path, weights_path):
        if not os.path.lexists(needed):
            raise fail(str(needed), "REL020", "adapter file missing (a PEFT LoRA adapter folder has "
                       "adapter_config.json and adapter_model.safetensors)")  # fmt: skip
        check(needed, REFUSED)  # safetensors maps the weights: a FIFO or a device is refused before
    config = read_json(config_path, "REL020")
    _refuse_unmergeable_config(config_path, config)
    rank = int(config["r"])
    pairs: dict[str, dict[str, Any]] = {}
    try:
        tensors = load_file(str(weights_path))
    except Exception as exc:  # noqa: BLE001 - safetensors raises its own SafetensorError for a malformed file
        raise fail(str(weights_path), "REL020", f"unreadable adapter weights: {exc}") from None
    for key, tensor in tensors.items():
        suffix = next((s for s in LORA_SUFFIXES if key.endswith(s)), None)
        if suffix is None or not key.startswith(PEFT_PREFIX):
            raise fail(str(weights_path), "REL022", f"cannot merge adapter tensor {key!r} (only lora_A/lora_B "
                       "weights of linear layers are merged)")  # fmt: skip
        module = key[len(PEFT_PREFIX) : -len(suffix)]
        pairs.setdefault(module, {})[LORA_SUFFIXES[suffix]] = tensor
    modules = {}
    for module, pair in sorted(pairs.items()):
        if set(pair) != {"A", "B"}:
            raise fail(str(weights_path), "REL022", f"module {module}: lora_A and lora_B must both be present")
        a, b = pair["A"], pair["B"]
        if a.dim() != 2 or b.dim() != 2 or a.shape[0] != rank or b.shape[1] != rank:
            raise fail(str(weights_path), "REL022", f"module {module}: LoRA shapes {list(a.shape)}/{list(b.shape)} "
                       f"do not match r = {rank}")  # fmt: skip
        modules[f"{module}.weight"] = LoraModule(f"{module}.weight", a, b)
    if not modules:
        raise fail(str(weights_path), "REL022", "adapter holds no LoRA weights")
    return Adapter(folder, rank, float(config["lora_alpha"]), bool(config.get("use_rslora")), modules, config)


def _refuse_unmergeable_config(path: Path, config: dict[str, Any]) -> None:
    checks = [
        (config.get("peft_type") != "LORA", f"peft_type {config.get('peft_type')!r}: only LoRA adapters merge"),
        (bool(config.get("use_dora")), "DoRA adapter: its magnitude vector rescales the weight, not a plain sum"),
        (bool(config.get("modules_to_save")),
         f"modules_to_save {config.get('modules_to_save')}: fully trained modules are not merged here"),
        (config.get("bias", "none") != "none", f"bias = {config.get('bias')!r}: trained biases are not merged here"),
        (bool(config.get("fan_in_fan_out")), "fan_in_fan_out layers (Conv1D) are not merged here"),
        (bool(config.get("lora_bias")), "lora_bias = true: trained LoRA biases are not merged here"),
        (bool(config.get("trainable_token_indices")), "trainable token embeddings are not merged here"),
        (bool(config.get("target_parameters")), "LoRA on parameters (target_parameters) is not merged here"),
        (bool(config.get("layer_replication")), "layer_replication changes the architecture: not merged here"),
        (bool(config.get("rank_pattern")) or bool(config.get("alpha_pattern")),
         "per-module rank_pattern/alpha_pattern is not merged here"),
        (not isinstance(config.get("r"), int) or config["r"] < 1 or not config.get("lora_alpha"),
         "adapter config lacks r / lora_alpha"),
    ]  # fmt: skip
    for refused, why in checks:
        if refused:
            raise fail(str(path), "REL021", f"cannot merge this adapter: {why}")


def weight_index(base: Path) -> dict[str, tuple[Path, TensorInfo]]:
    """Every tensor of the base's safetensors shards: name -> (shard, header entry)."""
    index: dict[str, tuple[Path, TensorInfo]] = {}
    for shard in base_shards(base):
        entries, _ = read_header(shard)
        for entry in entries:
            index[entry.name] = (shard, entry)
    return index


def base_shards(base: Path) -> list[Path]:
    return sorted(base.glob("*.safetensors"))


def check_fits(adapter: Adapter, index: dict[str, tuple[Path, TensorInfo]]) -> None:
    """Every LoRA module must land on a base weight of the right shape: otherwise the adapter
    was trained on another base (or another architecture) and merging would be silently wrong."""
    unmatched = sorted(name for name in adapter.modules if name not in index)
    if unmatched:
        more = f" (+{len(unmatched) - 3} more)" if len(unmatched) > 3 else ""
        raise fail(str(adapter.path), "REL023", f"LoRA modules match no base weight: {', '.join(unmatched[:3])}{more} "
                   "(adapter for another base?)")  # fmt: skip
    for name, module in adapter.modules.items():
        shape = index[name][1].shape
        expected = (module.b.shape[0], module.a.shape[1])
        if shape != expected:
            raise fail(str(adapter.path), "REL023", f"{name}: LoRA delta is {list(expected)} but the base weight is "
                       f"{list(shape)}: adapter trained on another base")  # fmt: skip


def merge_into(base: Path, adapter: Adapter, out: Path, progress: Callable[[int], None] | None = None) -> dict[str, str]:
    """Write the merged shards (same names, tensors and dtypes as the base) into `out`;
    returns the sha256 of every base shard (read in the same pass). `progress(bytes)` per tensor."""
    index = weight_index(base)
    check_fits(adapter, index)
    out.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, str] = {}
    for shard in base_shards(base):
        entries, metadata = read_header(shard)
        writer = StreamWriter(out / shard.name, entries, metadata)
        digest = hashlib.sha256()
        try:
            for entry, tensor in iter_tensors(shard, digest):
                module = adapter.modules.get(entry.name)
                if module is not None:
                    delta = (module.b.float() @ module.a.float()) * adapter.scale
                    tensor = (tensor.float() + delta).to(tensor.dtype)
                writer.write(entry.name, tensor)
                if progress is not None:
                    progress(entry.end - entry.start)
        finally:
            writer.close()
        hashes[shard.name] = digest.hexdigest()
    if indexed_shards(base, REFUSED, ESCAPES):  # its shard names are checked again before it is passed on
        copy(base / INDEX, out / INDEX, REFUSED)
    return hashes
