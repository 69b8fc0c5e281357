"""The verification's reference logits: the merged model's own forward pass in float32, with one
block's weights in memory at a time.

Loading the merged model whole in float32 takes 4 bytes per parameter (56 GB for a 14B model),
more than the machine that merged it may have. Here the model is built without weights (every
parameter on the meta device; the rotary embedding's buffers are real, computed by the model's
own code), and the model's own `forward` runs: a hook before each block (the embedding, each
decoder layer, the final norm, the output head) reads that block's tensors from the safetensors
shards and upcasts them to float32; a hook after it puts them back on the meta device. Rotary
embeddings, attention masks and the attention kernel are therefore exactly those of the installed
transformers version, and peak memory is one block (for a large vocabulary: the embedding matrix)
plus the activations, instead of the whole model.

Streamed: decoder-only models laid out as `model.embed_tokens`, `model.layers[i]`, `model.norm`,
`lm_head` (the Qwen2 / Llama family the project exports); others are refused (REL016)."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from train.model_files import REFUSED, read_json
from train.release.merge import weight_index
from train.release.safetensors_stream import TensorInfo, read_tensors
from train.training.errors import fail

STREAMED_MODEL_TYPES = ("qwen2", "llama")
INPUT_EMBEDDING = "model.embed_tokens.weight"
M_MMAP_THRESHOLD = -3  # glibc mallopt parameter
MMAP_THRESHOLD = 1 << 20


def check_streamable(model_dir: Path) -> None:
    """Refuse (REL016) a model whose reference forward cannot be streamed: checked before the
    export merges anything."""
    config_file = model_dir / "config.json"
    model_type = read_json(config_file, REFUSED).get("model_type")
    if model_type not in STREAMED_MODEL_TYPES:
        raise fail(str(config_file), "REL016", f"model_type {model_type!r}: the verification streams the reference forward "
                   f"only for {', '.join(STREAMED_MODEL_TYPES)} (decoder layers under model.layers)")  # fmt: skip


def reference_logits(model_dir: Path, inputs: list[list[int]]) -> list[Any]:
    """Float32 logits (numpy, one array per input) of the Hugging Face model in `model_dir`."""
    import torch
    from accelerate import init_empty_weights
    from transformers import AutoConfig, AutoModelForCausalLM

    check_streamable(model_dir)
    _return_freed_blocks()
    config = AutoConfig.from_pretrained(model_dir)
    with init_empty_weights(include_buffers=False):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.eval()
    index = weight_index(model_dir)
    for prefix, block in _blocks(model, model_dir):
        sources = _sources(block, prefix, index, bool(config.tie_word_embeddings), model_dir)
        block.register_forward_pre_hook(_loader(block, sources))
        block.register_forward_hook(_unloader(block))
    # One batch, right-padded: the weights are read once for all inputs (for 14B, 30 GB per pass),
    # and a causal mask keeps every real position from seeing the padding after it.
    lengths = [len(ids) for ids in inputs]
    batch = torch.zeros((len(inputs), max(lengths)), dtype=torch.long)
    mask = torch.zeros_like(batch)
    for row, ids in enumerate(inputs):
        batch[row, : len(ids)] = torch.tensor(ids)
        mask[row, : len(ids)] = 1
    with torch.no_grad():
        logits = model(batch, attention_mask=mask, use_cache=False).logits
    return [logits[row, :length].numpy().copy() for row, length in enumerate(lengths)]


def _blocks(model: Any, model_dir: Path) -> list[tuple[str, Any]]:
    """(parameter-name prefix, module) in forward order; every parameter in exactly one block."""
    inner = getattr(model, "model", None)
    if inner is None or not all(hasattr(inner, name) for name in ("embed_tokens", "layers", "norm")) or not hasattr(model, "lm_head"):
        raise fail(str(model_dir / "config.json"), "REL016", f"{type(model).__name__}: no model.embed_tokens / model.layers / "
                   "model.norm / lm_head to stream")  # fmt: skip
    blocks = [("model.embed_tokens.", inner.embed_tokens)]
    blocks += [(f"model.layers.{i}.", layer) for i, layer in enumerate(inner.layers)]
    blocks += [("model.norm.", inner.norm), ("lm_head.", model.lm_head)]
    covered = {prefix + name for prefix, block in blocks for name, _ in block.named_parameters(remove_duplicate=False)}
    stray = sorted({name for name, _ in model.named_parameters(remove_duplicate=False)} - covered)
    if stray:
        raise fail(str(model_dir / "config.json"), "REL016", f"parameters outside the streamed blocks: {', '.join(stray[:3])}")
    return blocks


def _sources(block: Any, prefix: str, index: dict[str, tuple[Path, TensorInfo]], tied: bool,
             model_dir: Path) -> dict[str, tuple[Path, TensorInfo]]:  # fmt: skip
    """The block's parameter name (relative to it) -> where its tensor is in the shards."""
    sources = {}
    for name, _ in block.named_parameters(remove_duplicate=False):
        full = prefix + name
        if full not in index and tied and full == "lm_head.weight":
            full = INPUT_EMBEDDING  # tied output head: the checkpoint stores the embedding once
        if full not in index:
            raise fail(str(model_dir), "REL016", f"tensor {full} is in no safetensors shard")
        sources[name] = index[full]
    return sources


def _loader(block: Any, sources: dict[str, tuple[Path, TensorInfo]]) -> Callable[..., None]:
    def load(module: Any, args: Any) -> None:
        import torch

        by_shard: dict[Path, list[tuple[str, TensorInfo]]] = {}
        for name, (shard, entry) in sources.items():
            by_shard.setdefault(shard, []).append((name, entry))
        for shard, wanted in by_shard.items():
            tensors = read_tensors(shard, [entry for _, entry in wanted])
            for name, entry in wanted:
                _set(block, name, torch.nn.Parameter(tensors.pop(entry.name).to(torch.float32), requires_grad=False))

    return load


def _unloader(block: Any) -> Callable[..., None]:
    def unload(module: Any, args: Any, output: Any) -> None:
        import torch

        for name, parameter in list(block.named_parameters(remove_duplicate=False)):
            _set(block, name, torch.nn.Parameter(torch.empty(parameter.shape, device="meta"), requires_grad=False))

    return unload


def _set(block: Any, name: str, parameter: Any) -> None:
    owner, _, leaf = name.rpartition(".")
    (block.get_submodule(owner) if owner else block)._parameters[leaf] = parameter


def _return_freed_blocks() -> None:
    """glibc raises its mmap threshold after each large free (up to 32 MB), so later blocks of
    that size come from the heap, which keeps them after free: RSS then grows block after block
    (measured: +30 MB per decoder layer of the 92M-parameter test model). A fixed threshold (it
    also stops the adjustment) gives every weight tensor its own mapping, unmapped when freed."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to tune
        return
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
